// The letter's text editor (Squire, static/vendor/squire): paragraphs, lists, bold and italic,
// only the tags and classes the server's allow-list keeps (recommendations.text.sanitise: a
// name is <span class="name">, never hyphenated in the PDF), which the page hands over as JSON. The server's sanitiser stays the gate; this one keeps pasted text and the
// editor's own markup within the list so that what the methodologist sees is what is stored.
// Without JavaScript the form keeps its plain textarea.
(function () {
  "use strict";

  const textarea = document.querySelector("[data-letter-editor]");
  if (!textarea || !window.Squire) {
    return;
  }
  const rules = JSON.parse(document.getElementById("letter-allowed").textContent);
  const allowed = new Set(rules.tags);
  const DROPPED = new Set(["SCRIPT", "STYLE"]); // removed with their content, as on the server
  // Blocks outside the list (pasted headings, divs) stay paragraphs instead of running together.
  const BLOCKS = new Set(["DIV", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE", "TR"]);

  function cleanInto(source, target) {
    for (const node of Array.from(source.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.data));
      } else if (node.nodeType === Node.ELEMENT_NODE && !DROPPED.has(node.nodeName)) {
        const tag = BLOCKS.has(node.nodeName) ? "p" : node.nodeName.toLowerCase();
        let kept = target;
        if (allowed.has(tag)) {
          kept = target.appendChild(document.createElement(tag));
          const classes = (rules.classes[tag] || []).filter((c) => node.classList.contains(c));
          if (classes.length) {
            kept.className = classes.join(" ");
          }
        }
        cleanInto(node, kept);
      }
    }
  }

  function sanitise(html) {
    const parsed = document.createElement("template"); // inert: nothing in it runs or loads
    parsed.innerHTML = html;
    const fragment = document.createDocumentFragment();
    cleanInto(parsed.content, fragment);
    return fragment;
  }

  function serialise(fragment) {
    const holder = document.createElement("div");
    holder.appendChild(fragment);
    // The editor keeps a line break at the end of a block for the caret; it shows nothing.
    for (const br of holder.querySelectorAll("br")) {
      if (!br.nextSibling && ["P", "LI"].includes(br.parentNode.nodeName)) {
        br.remove();
      }
    }
    return holder.innerHTML;
  }

  const area = document.getElementById("letter-editor");
  const toolbar = document.getElementById("letter-editor-toolbar");
  const editor = new Squire(area, {
    blockTag: "P",
    addLinks: false,
    sanitizeToDOMFragment: sanitise,
  });
  // Formats the allow-list drops (underline, strike-through, sub- and superscript, code) are
  // not offered by their shortcuts either.
  for (const modifier of ["Ctrl-", "Meta-"]) {
    for (const key of ["u", "d", "Shift-5", "Shift-6", "Shift-7"]) {
      editor.setKeyHandler(modifier + key, (self, event) => event.preventDefault());
    }
  }

  const original = textarea.value;
  editor.setHTML(original);
  const current = () => serialise(sanitise(editor.getHTML()));
  const untouched = current();
  // An unchanged text is sent back as it came, so that opening and saving does not mark the
  // letter edited.
  editor.addEventListener("input", () => {
    const html = current();
    textarea.value = html === untouched ? original : html;
  });

  const COMMANDS = {
    bold: { format: "B", on: () => editor.bold(), off: () => editor.removeBold() },
    italic: { format: "I", on: () => editor.italic(), off: () => editor.removeItalic() },
    list: { format: "UL", on: () => editor.makeUnorderedList(), off: () => editor.removeList() },
    numbered: { format: "OL", on: () => editor.makeOrderedList(), off: () => editor.removeList() },
  };
  const buttons = Array.from(toolbar.querySelectorAll("button[data-command]"));

  function showState() {
    for (const button of buttons) {
      const command = COMMANDS[button.dataset.command];
      if (command) {
        button.setAttribute("aria-pressed", String(editor.hasFormat(command.format)));
      }
    }
  }

  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (!button) {
      return;
    }
    const command = COMMANDS[button.dataset.command];
    if (!command) {
      editor.undo();
    } else if (editor.hasFormat(command.format)) {
      command.off();
    } else {
      command.on();
    }
    editor.focus();
    showState();
  });
  editor.addEventListener("pathChange", showState);
  editor.addEventListener("undoStateChange", (event) => {
    toolbar.querySelector("[data-command='undo']").disabled = !event.detail.canUndo;
  });

  textarea.hidden = true;
  document.getElementById("letter-editor-help").hidden = false;
  document.getElementById("letter-textarea-help").hidden = true;
  toolbar.hidden = false;
  area.hidden = false;
})();
