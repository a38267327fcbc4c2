// The lab session's one clock: counts down to the session's end (the lab's time limit,
// plus 연장), warns 5 minutes before, and refreshes the panel when time is up.
// The idle deadline only matters when the student stops working: activity (keys, clicks,
// scrolling, the page in focus) sends a light heartbeat at most once a minute, which moves
// it; the warning names which of the two is near.
(function () {
  if (window.kubaeumSessionTimer) return;
  const WARN_MS = 5 * 60 * 1000;
  const BEAT_MS = 60 * 1000;
  let active = false, lastBeat = 0;

  function format(ms) {
    if (ms <= 0) return "0분 0초";
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h ? h + "시간 " : "") + m + "분 " + s + "초";
  }

  function refreshPanel(el) {
    if (el.dataset.done || !window.htmx) return;
    el.dataset.done = "1";
    htmx.ajax("GET", el.dataset.panelUrl, { target: "#lab-session", swap: "outerHTML" });
  }

  function tick() {
    document.querySelectorAll("[data-session-timer]").forEach((el) => {
      const expires = Date.parse(el.dataset.expires), idle = Date.parse(el.dataset.idle);
      if (isNaN(expires)) return;
      const now = Date.now();
      const out = el.querySelector(".remaining");
      if (out) out.textContent = format(expires - now);
      const ends = isNaN(idle) ? expires : Math.min(expires, idle);
      const panel = el.closest("#lab-session");
      const warning = panel && panel.querySelector(".session-warning");
      if (warning) {
        const idleFirst = !isNaN(idle) && idle < expires;
        warning.hidden = ends - now > WARN_MS;
        const byExpiry = warning.querySelector("[data-warning-expiry]");
        const byIdle = warning.querySelector("[data-warning-idle]");
        if (byExpiry) byExpiry.hidden = idleFirst;
        if (byIdle) byIdle.hidden = !idleFirst;
      }
      if (ends - now <= 0) refreshPanel(el);
    });
  }

  function beat() {
    const ws = document.querySelector(".workspace[data-heartbeat-url]");
    if (!ws || !active || Date.now() - lastBeat < BEAT_MS) return;
    active = false;
    lastBeat = Date.now();
    let token = "";
    try { token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { /* none */ }
    fetch(ws.dataset.heartbeatUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token } })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        const el = document.querySelector("[data-session-timer]");
        if (!data || !el) return;
        if (data.state !== "ready") { refreshPanel(el); return; }
        if (data.idle) el.dataset.idle = data.idle;
        if (data.expires) el.dataset.expires = data.expires;
        tick();
      })
      .catch(() => {});
  }

  function activity() { active = true; }
  ["keydown", "pointerdown", "wheel", "scroll", "input", "focusin"].forEach((type) =>
    document.addEventListener(type, activity, { passive: true, capture: true }));
  // Reading counts too: a visible page in focus is a student at work.
  setInterval(() => { if (document.visibilityState === "visible" && document.hasFocus()) active = true; }, 15000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { active = true; lastBeat = 0; beat(); }
  });
  window.kubaeumSessionTimer = setInterval(() => { tick(); beat(); }, 1000);
  window.kubaeumHeartbeatNow = () => { active = true; lastBeat = 0; beat(); };
  tick();
})();
