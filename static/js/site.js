// Site-wide behaviour shared by every page. Page scripts live next to their app.
// A box that scrolls (wide code, tables) must be reachable by keyboard to be scrolled.
function kubaeumScrollables(root) {
  root.querySelectorAll("pre, .table-scroll, .table-wrap, .CodeMirror-scroll").forEach((el) => {
    // CodeMirror gives its scroller tabindex -1; the others have none of their own.
    if (el.classList.contains("CodeMirror-scroll")) { el.tabIndex = 0; return; }
    if (el.hasAttribute("tabindex")) return;
    if ( el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      el.tabIndex = 0;
    }
  });
}
window.addEventListener("load", () => kubaeumScrollables(document));
document.addEventListener("htmx:afterSettle", () => kubaeumScrollables(document));

document.addEventListener("DOMContentLoaded", () => {
  if (!window.htmx) return;
  // Our 4xx answers carry a Korean message meant for the user: swap them in like a
  // success instead of dropping them (htmx 2's default ignores error responses).
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ];
});

// <select data-autosubmit> sends its form when changed (no inline handlers: the
// Content-Security-Policy allows only our script files).
document.addEventListener("change", (event) => {
  const select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
});

// Polling that only matters to someone looking: skip the request while the tab is hidden.
// (An hx-trigger filter would do it too, but filters are eval'd, which the CSP forbids.)
document.addEventListener("htmx:beforeRequest", (event) => {
  if (document.hidden && event.detail.elt.hasAttribute("data-poll-visible-only")) event.preventDefault();
});
