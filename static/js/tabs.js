// Tabs of the teacher's card. Every tab gets its Bootstrap instance at once, so the arrow
// keys move between tabs as soon as the page shows (Bootstrap alone waits for `load`);
// the open tab is kept in the address (#courses, #history…) for reloads and links.
(function () {
  "use strict";
  var wanted = window.location.hash.replace("#", "");
  document.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (button) {
    var id = button.id.replace("tab-", "");
    var tab = bootstrap.Tab.getOrCreateInstance(button);
    button.addEventListener("shown.bs.tab", function () {
      history.replaceState(null, "", "#" + id);
    });
    if (id === wanted) {
      tab.show();
    }
  });
})();
