// Tabs of the teacher's card: the open tab is kept in the address (#courses, #history…),
// so reloading the page or following a link returns to it.
(function () {
  "use strict";
  var tabs = document.querySelectorAll('[data-bs-toggle="tab"]');
  var wanted = window.location.hash.replace("#", "");
  tabs.forEach(function (button) {
    var id = button.id.replace("tab-", "");
    button.addEventListener("shown.bs.tab", function () {
      history.replaceState(null, "", "#" + id);
    });
    if (id === wanted) {
      bootstrap.Tab.getOrCreateInstance(button).show();
    }
  });
})();
