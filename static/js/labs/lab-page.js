// The lab page around the workspace: tabs on narrow screens, the live task list, objects
// lit in the resource view, the grading result kept in view, and tabs that agree.
(function () {
  "use strict";
  const ROUND_MS = 4000; // periodic re-check while the page is visible
  let lastReport = null, running = false, again = false, timer = null;

  // --- tabs (narrow screens) ----------------------------------------------------------
  function showTab(name) {
    const page = document.querySelector(".lab-page");
    if (!page) return;
    page.dataset.tab = name;
    page.querySelectorAll(".lab-tabs [data-tab]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tab === name)));
    // CodeMirror measures itself; one shown after being hidden must measure again.
    page.querySelectorAll(".CodeMirror").forEach((el) => el.CodeMirror && el.CodeMirror.refresh());
    if (name === "console") {
      const log = page.querySelector(".console-log");
      if (log) log.scrollTop = log.scrollHeight;
    }
  }
  function narrow() { return window.matchMedia("(max-width: 899px)").matches; }

  // --- live task list -----------------------------------------------------------------
  function workspace() { return document.querySelector(".workspace[data-tasks-url]"); }

  function setTask(li, check) {
    const state = check ? (check.passed ? "pass" : "fail") : "unknown";
    li.dataset.state = state;
    const label = li.querySelector(".task-state");
    if (label) label.textContent = state === "pass" ? "통과" : state === "fail" ? "아직 아님" : "아직 확인하지 않음";
    const detail = li.querySelector(".task-detail");
    if (!detail) return;
    const text = check && !check.passed ? [check.message, check.detail].filter(Boolean).join(" — ") : "";
    detail.textContent = text;
    detail.hidden = !text;
  }

  function applyReport(report) {
    lastReport = report;
    const byId = {};
    (report ? report.checks : []).forEach((c) => { byId[c.id] = c; });
    document.querySelectorAll(".task-list .task[data-check]").forEach((li) => setTask(li, report ? byId[li.dataset.check] : null));
    const summary = document.querySelector("[data-task-summary]");
    if (summary && !report) {
      // No live sandbox (not started, ended): back to the page's own explanation.
      if (summary.dataset.initial) summary.textContent = summary.dataset.initial;
      delete summary.dataset.state;
    }
    if (summary && report) {
      summary.textContent = report.passed === report.total
        ? "자동 확인: 모든 항목을 통과했습니다 (" + report.total + "/" + report.total + "). '채점하기'로 점수를 기록하세요."
        : "자동 확인: " + report.passed + "/" + report.total + " 통과 · 작업하는 동안 저절로 다시 확인합니다 (채점 기록에는 남지 않습니다).";
      summary.dataset.state = report.passed === report.total ? "pass" : "partial";
    }
    lightResources();
  }

  function lightResources() {
    const root = document.querySelector(".ws-resources");
    if (!root) return;
    root.querySelectorAll("[data-kind][data-name]").forEach((el) => el.classList.remove("check-pass", "check-fail"));
    if (!lastReport) return;
    const verdict = {};
    lastReport.checks.forEach((c) => {
      if (!c.target) return;
      const key = c.target.kind + "/" + c.target.name;
      verdict[key] = verdict[key] === false ? false : c.passed;
    });
    root.querySelectorAll("[data-kind][data-name]").forEach((el) => {
      const v = verdict[el.dataset.kind + "/" + el.dataset.name];
      if (v === undefined) return;
      el.classList.add(v ? "check-pass" : "check-fail");
      el.title = v ? "확인 항목 통과" : "확인 항목을 아직 만족하지 않음";
    });
  }

  function runChecks(fresh) {
    const ws = workspace();
    if (!ws) return;
    if (running) { again = again || fresh; return; }
    running = true;
    fetch(ws.dataset.tasksUrl + (fresh ? "?fresh=1" : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (ok) { applyReport(data); return; }
        const summary = document.querySelector("[data-task-summary]");
        if (data && data.state && data.state !== "ready") { applyReport(null); return; }
        if (summary && data && data.error) { summary.textContent = "자동 확인을 잠시 할 수 없습니다: " + data.error; summary.dataset.state = "error"; }
      })
      .catch(() => {})
      .finally(() => {
        running = false;
        if (again) { again = false; runChecks(true); }
      });
  }

  function sandboxChanged() {
    // Right away, and once more shortly after: controllers need a moment to act.
    runChecks(true);
    setTimeout(() => runChecks(true), 1500);
  }

  // --- grading result: in view, header score, what next --------------------------------
  function afterGrading(submission) {
    if (submission.dataset.state !== "done") return;
    const scoreEl = submission.querySelector(".submission-score .score");
    const numbers = scoreEl ? (scoreEl.textContent.match(/\d+/g) || []).map(Number) : [];
    if (numbers.length >= 2) {
      const [score, max] = numbers;
      const best = document.getElementById("lab-best");
      const shown = best && best.querySelector(".score");
      const previous = shown ? Number((shown.textContent.match(/\d+/) || [-1])[0]) : -1;
      if (best && score > previous) {
        best.innerHTML = "";
        const span = document.createElement("span");
        span.className = "score" + (score === max ? " full" : "");
        span.title = "지금까지 받은 가장 높은 점수";
        span.textContent = "최고 " + score + "/" + max + "점";
        best.appendChild(span);
      }
      const tabScore = document.querySelector("[data-tab-score]");
      if (tabScore) tabScore.textContent = " " + score + "/" + max;
      if (score === max) {
        const next = document.querySelector("[data-lab-next]");
        if (next) next.hidden = false;
      }
    }
    // The sticky grading pane of the workspace, or the plain #grading slot elsewhere.
    const pane = submission.closest(".ws-grading") || submission.closest("#grading");
    if (pane) {
      if (pane.classList.contains("ws-grading")) collapseGrading(pane, false);
      if (narrow()) showTab("grading");
      const rect = pane.getBoundingClientRect();
      if (rect.top < 0 || rect.top > window.innerHeight - 80) pane.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  function collapseGrading(pane, collapsed) {
    pane.classList.toggle("collapsed", collapsed);
    const toggle = pane.querySelector("[data-grading-toggle]");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.textContent = collapsed ? "결과 펼치기" : "결과 접기";
  }

  // --- tabs that agree (BroadcastChannel) ------------------------------------------------
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("kubaeum-lab") : null;
  function announce(panel) {
    if (!channel || !panel) return;
    channel.postMessage({ lab: panel.dataset.lab, session: panel.dataset.session, state: panel.dataset.state });
  }
  if (channel) {
    channel.onmessage = (event) => {
      const panel = document.getElementById("lab-session");
      const msg = event.data || {};
      if (!panel || !window.htmx || msg.lab !== panel.dataset.lab) return;
      if (msg.state === panel.dataset.state && msg.session === panel.dataset.session) return;
      htmx.ajax("GET", panel.dataset.panelUrl, { target: "#lab-session", swap: "outerHTML" });
    };
  }

  // --- wiring -------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".lab-tabs [data-tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
    const summary = document.querySelector("[data-task-summary]");
    if (summary) summary.dataset.initial = summary.textContent.trim();
    document.body.addEventListener("click", (event) => {
      const toggle = event.target.closest("[data-grading-toggle]");
      if (!toggle) return;
      const pane = toggle.closest(".ws-grading");
      collapseGrading(pane, !pane.classList.contains("collapsed"));
    });
    // The grading pane stays in view while the page scrolls, so an open result would cover
    // the editor the student goes back to: going back to work (the console or the editor)
    // folds it to its score line; the next grading opens it again.
    document.body.addEventListener("focusin", (event) => {
      if (narrow() || !event.target.closest(".ws-console, .ws-editor")) return;
      const pane = document.querySelector(".ws-grading");
      const result = pane && pane.querySelector(".grading-result");
      if (result && result.children.length && !pane.classList.contains("collapsed")) collapseGrading(pane, true);
    });
    document.body.addEventListener("htmx:afterRequest", (event) => {
      const elt = event.detail.elt;
      if (!event.detail.successful || !elt || !elt.closest) return;
      const url = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
      // A console command changed the sandbox when its entry comes back finished (the
      // console queues commands and the entry polls for its output).
      const finishedEntry = elt.closest(".console-log") && !/console-entry pending/.test(event.detail.xhr.responseText || "");
      if (finishedEntry || /\/apply\/$/.test(url)) sandboxChanged();
    });
    document.body.addEventListener("kubaeum:sandbox-changed", sandboxChanged);
    document.body.addEventListener("htmx:afterSettle", (event) => {
      let target = event.detail.target || document.body;
      // An outerHTML swap reports the element it replaced: look up its successor.
      if (!target.isConnected && target.id) target = document.getElementById(target.id) || document.body;
      if (target.id && target.id.startsWith("resources-")) lightResources();
      const submission = target.matches && target.matches(".submission") ? target : target.querySelector && target.querySelector(".submission");
      if (submission && event.detail.requestConfig && /\/(submissions|grade|grade-files)\//.test(event.detail.requestConfig.path)) {
        afterGrading(submission);
      }
      const panel = document.getElementById("lab-session");
      if (panel && (target === panel || target.contains(panel) || panel.contains(target)) && panel.dataset.state !== panel.dataset.announced) {
        panel.dataset.announced = panel.dataset.state;
        announce(panel);
        if (workspace()) runChecks(false); else applyReport(null);
      }
    });
    timer = setInterval(() => { if (document.visibilityState === "visible") runChecks(false); }, ROUND_MS);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") runChecks(false); });
  });
  window.kubaeumRunChecks = runChecks;
  // "콘솔에 넣기" / "편집기에 넣기" on a phone: go to the pane the text went into.
  window.kubaeumShowPane = (name) => { if (narrow()) showTab(name); };
})();
