// Search as you type for people (profdev/people_search.py answers with JSON). Two uses:
// - <input data-people-url="…" data-people-link>: the staff list's search box becomes a
//   combobox; choosing a suggestion opens the person's card, Enter alone submits the form;
// - <select data-people-url="…">: a picker (mentor, mentee, route person) gets a search box
//   before it; choosing a suggestion selects that person in the list.
// Without JavaScript the box and the list work as they are. ARIA combobox pattern: arrows
// move through the suggestions, Enter chooses, Escape closes; a live region says how many.
(function () {
  "use strict";
  var DELAY = 250;  // ms after the last key before asking the server
  var counter = 0;

  function combobox(input, url, choose, allowed) {
    var id = "people-" + (++counter);
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "list-group people-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Найденные сотрудники");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentElement.classList.add("position-relative");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null, active = -1, results = [], asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found, more) {
      results = found.filter(allowed);
      list.replaceChildren();
      results.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = id + "-option-" + i;
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = person.name + (person.detail ? " — " + person.detail : "");
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // the box keeps the focus
          pick(i);
        });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      status.textContent = results.length
        ? "Найдено: " + results.length + (more ? " (уточните запрос, чтобы увидеть остальных)" : "")
        : "Никого не найдено";
    }

    function pick(index) {
      var person = results[index];
      close();
      if (person) {
        choose(person);
      }
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) {
        close();
        status.textContent = "";
        return;
      }
      var number = ++asked;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && number === asked) {  // an older answer arriving late is ignored
            show(data.results, data.more);
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        mark(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-people-url]").forEach(function (input) {
    combobox(input, input.dataset.peopleUrl, function (person) {
      window.location.assign(person.url);
    }, function () { return true; });
  });

  document.querySelectorAll("select[data-people-url]").forEach(function (select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var wrapper = document.createElement("div");
    wrapper.className = "people-search mb-2";
    var boxLabel = document.createElement("label");
    boxLabel.className = "form-label small";
    boxLabel.htmlFor = select.id + "-search";
    boxLabel.textContent = "Найти по ФИО" + (label ? " (" + label.textContent.replace("*", "").trim() + ")" : "");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.className = "form-control form-control-sm";
    wrapper.append(boxLabel, input);
    select.insertAdjacentElement("beforebegin", wrapper);
    var offered = function (person) {
      return Boolean(select.querySelector("option[value='" + person.id + "']"));
    };
    combobox(input, select.dataset.peopleUrl, function (person) {
      select.value = String(person.id);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = person.name;
    }, offered);
  });
})();
