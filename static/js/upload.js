// The workbook upload form sends its file with XMLHttpRequest to show how much of it has been
// sent. The server's answer decides what follows: a redirect (to the preview or to the job
// checking a large file) is followed; the form with its errors replaces this form.
(function () {
  "use strict";

  function send(form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector("progress");
    var said = box.querySelector("[data-upload-percent]");
    var button = form.querySelector('button[type="submit"]');
    var url = form.action || window.location.href;
    var request = new XMLHttpRequest();

    function show(percent, text) {
      bar.value = percent;
      bar.textContent = percent + " %";
      said.textContent = text;
    }

    request.open("POST", url);
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.round((100 * event.loaded) / event.total);
      show(percent, "Передано " + percent + " %");
    });
    request.upload.addEventListener("load", function () {
      show(100, "Файл передан, идёт проверка…");
    });
    request.addEventListener("load", function () {
      if (request.status === 200 && request.responseURL && request.responseURL !== url) {
        window.location.assign(request.responseURL);
        return;
      }
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      var answer = page.querySelector("[data-upload-form]");
      if (!answer) {
        form.submit(); // an unexpected answer: send the form the ordinary way to show it
        return;
      }
      form.replaceWith(answer);
      var field = answer.querySelector("input[type=file]");
      if (field) field.focus();
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      show(0, "Связь прервалась, файл не передан. Попробуйте ещё раз.");
    });
    box.hidden = false;
    button.disabled = true;
    show(0, "Передано 0 %");
    request.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-upload-form]") || !window.FormData) return;
    var field = form.querySelector("input[type=file]");
    if (!field || !field.files.length) return; // the server says that a file is needed
    event.preventDefault();
    send(form);
  });
})();
