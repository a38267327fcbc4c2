// Lab page behaviour: CodeMirror editors, console history, "콘솔에 넣기" buttons.
// The workspace arrives by htmx (inside the session panel), so everything that touches
// it is set up from htmx.onLoad, which also runs for the initial page.
(function () {
  "use strict";
  const editors = {}; // textarea id -> its current CodeMirror instance
  const store = {
    get(key, fallback) {
      try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
    },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
  };

  function sessionOf(elt) {
    const ws = elt.closest("[data-session]");
    return ws ? ws.dataset.session : null;
  }

  // --- editors ------------------------------------------------------------------------
  function setUpEditor(textarea) {
    // Per element, not per id: a re-rendered panel brings a new textarea with the same id.
    if (!window.CodeMirror || textarea.editor) return;
    const key = textarea.dataset.storeKey || (sessionOf(textarea) ? "kubaeum:yaml:" + sessionOf(textarea) : null);
    const saved = key ? store.get(key, "") : "";
    if (saved) textarea.value = saved; // the student's last text wins over the starter
    const cm = CodeMirror.fromTextArea(textarea, {
      mode: textarea.dataset.mode || "yaml",
      lineNumbers: true,
      tabSize: 2,
      indentUnit: 2,
      indentWithTabs: false,
      lineWrapping: false,
      gutters: ["cm-problem-gutter", "CodeMirror-linenumbers"],
      // Tab inserts spaces: YAML forbids tabs for indentation. Esc hands the keyboard
      // back to the page (the editor's own buttons), so the editor is never a trap.
      extraKeys: {
        Tab: (ed) => ed.replaceSelection("  "),
        Esc: (ed) => leaveEditor(ed),
      },
    });
    // The input CodeMirror types into carries the textarea's name for screen readers.
    cm.getInputField().setAttribute("aria-label", textarea.getAttribute("aria-label") || "편집기");
    cm.on("change", () => {
      cm.save();
      clearProblem(cm);
      if (key) store.set(key, cm.getValue());
    });
    editors[textarea.id] = cm;
    textarea.editor = cm;
  }

  function leaveEditor(cm) {
    const wrapper = cm.getWrapperElement();
    const scope = wrapper.closest("form") || wrapper.parentElement;
    const next = scope.querySelector(".editor-actions button, button");
    cm.getInputField().blur();
    if (next) next.focus();
  }

  function clearProblem(cm) {
    if (cm.problemLine == null) return;
    cm.removeLineClass(cm.problemLine, "wrap", "cm-problem-line");
    cm.clearGutter("cm-problem-gutter");
    if (cm.problemWidget) cm.problemWidget.clear();
    cm.problemLine = cm.problemWidget = null;
  }

  function markProblem(cm, line, message) {
    clearProblem(cm);
    const index = Math.min(Math.max(line - 1, 0), cm.lineCount() - 1);
    const marker = document.createElement("span");
    marker.className = "cm-problem-marker";
    marker.textContent = "!";
    marker.title = message;
    cm.setGutterMarker(index, "cm-problem-gutter", marker);
    cm.addLineClass(index, "wrap", "cm-problem-line");
    // The message itself, right under the line it is about.
    const note = document.createElement("div");
    note.className = "cm-problem-note";
    note.textContent = message;
    cm.problemWidget = cm.addLineWidget(index, note, { coverGutter: false, noHScroll: true });
    cm.problemLine = index;
    cm.scrollIntoView({ line: index, ch: 0 }, 60);
  }

  // --- console --------------------------------------------------------------------------
  function historyKey(input) { return "kubaeum:history:" + (sessionOf(input) || "none"); }

  function setUpConsole(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    let position = null; // index into history while browsing with ↑/↓
    // Another browser (or cleared storage): start from the commands the server logged.
    if (!store.get(historyKey(input), []).length && input.dataset.historyUrl) {
      fetch(input.dataset.historyUrl, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { commands: [] }))
        .then((data) => { if (data.commands.length) store.set(historyKey(input), data.commands); })
        .catch(() => {});
    }
    input.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      const history = store.get(historyKey(input), []);
      if (!history.length) return;
      event.preventDefault();
      if (position === null) position = history.length;
      position += event.key === "ArrowUp" ? -1 : 1;
      position = Math.max(0, Math.min(position, history.length));
      input.value = position === history.length ? "" : history[position];
      input.setSelectionRange(input.value.length, input.value.length);
    });
    const form = input.form;
    const log = document.querySelector(form.getAttribute("hx-target"));
    // The session panel re-renders itself (연장, timer): keep this tab's console output.
    const logKey = "kubaeum:console-log:" + (sessionOf(input) || "none");
    try {
      const saved = sessionStorage.getItem(logKey);
      if (saved && log) { log.innerHTML = saved; log.scrollTop = log.scrollHeight; }
    } catch (e) { /* storage disabled */ }
    // A command still running when the panel re-rendered resumes polling for its output.
    if (log && window.htmx) htmx.process(log);
    form.addEventListener("htmx:beforeRequest", () => {
      const command = input.value.trim();
      if (!command) return;
      const history = store.get(historyKey(input), []).filter((c) => c !== command);
      history.push(command);
      store.set(historyKey(input), history.slice(-100));
      position = null;
    });
    const clear = input.closest(".ws-console").querySelector("[data-console-clear]");
    if (clear && log) {
      clear.addEventListener("click", () => {
        log.querySelectorAll(".console-entry").forEach((e) => e.remove());
        try { sessionStorage.removeItem(logKey); } catch (e) { /* storage disabled */ }
        input.focus();
      });
    }
    // Console and editor answers (a cluster that cannot be reached: 502, a command that
    // ran out of time: 504) carry their own Korean message under a 5xx: show it. Polled
    // console entries end the same way.
    const isEntry = (xhr) => /console-entry|editor-message/.test(xhr.responseText || "");
    (input.closest(".workspace") || input.closest(".ws-console")).addEventListener("htmx:beforeSwap", (event) => {
      if (event.detail.xhr.status >= 400 && isEntry(event.detail.xhr)) {
        event.detail.shouldSwap = true; event.detail.isError = false;
      }
    });
    if (log) log.addEventListener("htmx:afterSettle", () => {
      log.scrollTop = log.scrollHeight;
      try { sessionStorage.setItem(logKey, log.innerHTML); } catch (e) { /* full or disabled */ }
    });
    form.addEventListener("htmx:responseError", (event) => {
      if (!log || isEntry(event.detail.xhr)) return;
      const entry = document.createElement("div");
      entry.className = "console-entry refused";
      const out = document.createElement("pre");
      out.className = "console-out";
      out.textContent = "서버 오류로 명령을 처리하지 못했습니다. 잠시 뒤 다시 시도하세요.";
      entry.appendChild(out);
      log.appendChild(entry);
    });
    form.addEventListener("htmx:afterRequest", () => {
      input.value = "";
      input.focus();
      if (!log) return;
      const entries = log.querySelectorAll(".console-entry");
      for (let i = 0; i < entries.length - 50; i++) entries[i].remove();
      log.scrollTop = log.scrollHeight;
      try { sessionStorage.setItem(logKey, log.innerHTML); } catch (e) { /* full or disabled */ }
    });
  }

  // --- "콘솔에 넣기" / "편집기에 넣기" -------------------------------------------------------
  function notice(text) {
    let box = document.querySelector(".lab-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "lab-notice";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    box.textContent = text;
    box.classList.add("show");
    clearTimeout(box.timer);
    box.timer = setTimeout(() => box.classList.remove("show"), 2600);
  }

  function putInConsole(command) {
    const input = document.getElementById("console-input");
    if (!input) { notice("먼저 실습을 시작하세요. 준비가 끝나면 콘솔에 넣을 수 있습니다."); return; }
    if (window.kubaeumShowPane) window.kubaeumShowPane("console");
    input.value = command;
    input.focus();
    input.closest(".ws-console").classList.add("flash");
    setTimeout(() => input.closest(".ws-console").classList.remove("flash"), 600);
  }

  function putInEditor(text) {
    const textarea = document.querySelector("textarea.yaml-editor");
    const cm = textarea && editors[textarea.id];
    if (!cm) { notice("먼저 실습을 시작하세요. 준비가 끝나면 편집기에 넣을 수 있습니다."); return; }
    const current = cm.getValue().replace(/^\s*#.*$/gm, "").trim();
    if (current && current !== text.trim() && !window.confirm("편집기의 내용을 이 예시로 바꿀까요? 지금 내용은 사라집니다.")) return;
    if (window.kubaeumShowPane) window.kubaeumShowPane("editor");
    cm.setValue(text.replace(/\n$/, "") + "\n");
    cm.focus();
  }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "small secondary code-action";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  // What "복사" copies: only the commands when the block shows a prompt ("$ ") and
  // output; the whole block otherwise (a manifest).
  function copyText(text) {
    const lines = text.replace(/\n$/, "").split("\n");
    const prompted = lines.filter((l) => /^\s*\$\s/.test(l));
    return prompted.length ? prompted.map((l) => l.replace(/^\s*\$\s+/, "")).join("\n") : lines.join("\n");
  }

  function copyButton(pre) {
    const b = button("복사", () => {
      const done = () => { b.textContent = "복사했습니다"; setTimeout(() => { b.textContent = "복사"; }, 1500); };
      const text = copyText(pre.textContent);
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
      else fallbackCopy(text, done);
    });
    b.classList.add("copy-action");
    b.setAttribute("aria-label", "코드 복사");
    return b;
  }

  function fallbackCopy(text, done) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
    area.remove();
  }

  function addCodeButtons(root) {
    root.querySelectorAll(".lab-text pre").forEach((pre) => {
      if (pre.dataset.actions) return;
      pre.dataset.actions = "1";
      pre.dataset.copy = copyText(pre.textContent);
      const text = pre.textContent;
      // A file lab (scope none) has no console: its kubectl lines are output to read.
      const fileLab = pre.closest(".lab-page")?.dataset.scope === "none";
      const commands = fileLab ? [] : text.split("\n")
        .map((line) => line.replace(/^\s*\$\s*/, "").trim())
        .filter((line) => /^kubectl\s/.test(line));
      const bar = document.createElement("div");
      bar.className = "code-actions";
      if (commands.length === 1) {
        bar.appendChild(button("콘솔에 넣기", () => putInConsole(commands[0])));
      } else if (commands.length > 1) {
        commands.forEach((c, i) => {
          const b = bar.appendChild(button("콘솔에 넣기 " + (i + 1), () => putInConsole(c)));
          b.title = c; // which line this button means
        });
      } else if (/^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text)) {
        bar.appendChild(button("편집기에 넣기", () => putInEditor(text)));
      }
      bar.appendChild(copyButton(pre));
      pre.parentElement.insertBefore(bar, pre);
    });
  }

  // --- wiring -------------------------------------------------------------------------
  function setUp(root) {
    root.querySelectorAll("textarea.yaml-editor, textarea.file-editor").forEach(setUpEditor);
    root.querySelectorAll(".console-input").forEach(setUpConsole);
    addCodeButtons(root);
  }

  document.addEventListener("DOMContentLoaded", () => {
    // The page itself now; content that htmx swaps in later (the workspace) on its load.
    setUp(document.body);
    if (window.htmx) htmx.onLoad(setUp);
    // An outerHTML swap (the session panel replacing itself) may settle outside the
    // element htmx reports; setting up is idempotent, so look at the whole page.
    document.body.addEventListener("htmx:afterSettle", () => setUp(document.body));
    document.body.addEventListener("htmx:afterSwap", (event) => {
      const target = event.detail.target;
      if (!target.classList.contains("editor-result")) return;
      const textarea = target.parentElement.querySelector("textarea");
      const cm = textarea && editors[textarea.id];
      const problem = target.querySelector("[data-error-line]");
      if (cm && problem) {
        const text = (problem.querySelector("p") || problem).textContent.trim();
        markProblem(cm, parseInt(problem.dataset.errorLine, 10), text);
      }
      else if (cm) clearProblem(cm);
    });
  });
})();
