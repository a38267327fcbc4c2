// Countdown for the lab session panel: the earlier of the hard expiry and the idle
// deadline, a warning 5 minutes before, and a panel refresh when time is up.
(function () {
  if (window.kubaeumSessionTimer) return;
  function format(ms) {
    if (ms <= 0) return "0분 0초";
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h ? h + "시간 " : "") + m + "분 " + s + "초";
  }
  function tick() {
    document.querySelectorAll("[data-session-timer]").forEach((el) => {
      const ends = [el.dataset.expires, el.dataset.idle].filter(Boolean).map(Date.parse).filter((t) => !isNaN(t));
      if (!ends.length) return;
      const left = Math.min(...ends) - Date.now();
      const out = el.querySelector(".remaining");
      if (out) out.textContent = format(left);
      const panel = el.closest("#lab-session");
      const warning = panel && panel.querySelector(".session-warning");
      if (warning) warning.hidden = left > 5 * 60 * 1000;
      if (left <= 0 && !el.dataset.done && window.htmx) {
        el.dataset.done = "1";
        htmx.ajax("GET", el.dataset.panelUrl, { target: "#lab-session", swap: "outerHTML" });
      }
    });
  }
  window.kubaeumSessionTimer = setInterval(tick, 1000);
  tick();
})();
