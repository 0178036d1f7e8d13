// The job page follows its job: polls the JSON status and reloads once the job has finished.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-status-url]");
  if (!section) return;
  var url = section.getAttribute("data-job-status-url");
  var progress = section.querySelector("[data-job-progress]");
  var notice = section.querySelector("[data-job-notice]");

  function show(name, text) {
    document.querySelectorAll('[data-job-field="' + name + '"]').forEach(function (el) {
      el.textContent = text;
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        progress.max = state.total || 1;
        progress.value = state.done;
        progress.textContent = state.percent + " %";
        show("status_label", state.status_label);
        show("message", state.message);
        show("counter", state.total ? state.done + " из " + state.total : "");
        show("notice", state.notice);
        notice.hidden = !state.notice;
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
