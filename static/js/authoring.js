// Lesson authoring: the source in CodeMirror with line numbers (errors say "N행"), the
// live preview fed as before, Esc to leave the editor, and a confirmation before
// publishing or discarding a draft.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-confirm]").forEach((button) => {
      button.addEventListener("click", (event) => {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
    const textarea = document.getElementById("source");
    if (!textarea || !window.CodeMirror) return;
    const form = textarea.form;
    const cm = CodeMirror.fromTextArea(textarea, {
      mode: "yaml", // the front matter; the Markdown body reads fine without highlighting
      lineNumbers: true,
      lineWrapping: true,
      tabSize: 2,
      indentWithTabs: false,
      extraKeys: {
        Tab: (ed) => ed.replaceSelection("  "),
        Esc: (ed) => { ed.getInputField().blur(); const b = form.querySelector(".editor-actions button"); if (b) b.focus(); },
      },
    });
    cm.getInputField().setAttribute("aria-label", "레슨 원문");
    cm.on("change", () => {
      cm.save();
      if (window.htmx) htmx.trigger(textarea, "input");
    });
    // Mark the lines that the errors name ("12행: …"), in the saved errors and the preview's.
    function markErrors() {
      cm.eachLine((line) => cm.removeLineClass(line, "background", "cm-error-line"));
      document.querySelectorAll(".form-errors li").forEach((li) => {
        const m = li.textContent.match(/^(\d+)행/);
        if (m) cm.addLineClass(Number(m[1]) - 1, "background", "cm-error-line");
      });
    }
    markErrors();
    document.body.addEventListener("htmx:afterSettle", markErrors);
  });
})();
