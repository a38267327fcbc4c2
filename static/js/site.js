// Site-wide behaviour shared by every page. Page scripts live next to their app.
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
