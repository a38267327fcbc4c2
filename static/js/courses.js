// Lesson pages: a "복사" button on every code block, and the quiz result announced
// after htmx swaps it in.
(function () {
  function addCopyButtons(root) {
    root.querySelectorAll(".lesson-body div.highlight").forEach((block) => {
      if (block.querySelector(".copy-button")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "복사";
      button.setAttribute("aria-label", "코드 복사");
      button.addEventListener("click", async () => {
        const code = block.querySelector("pre").innerText.replace(/\n$/, "");
        try {
          await navigator.clipboard.writeText(code);
          button.textContent = "복사됨 ✓";
        } catch (e) {
          // Clipboard API needs a secure context; select the text so Ctrl+C works.
          const range = document.createRange();
          range.selectNodeContents(block.querySelector("pre"));
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          button.textContent = "Ctrl+C로 복사하세요";
        }
        setTimeout(() => (button.textContent = "복사"), 1800);
      });
      block.appendChild(button);
    });
  }

  // Highlight the TOC entry of the section being read.
  function trackToc() {
    const links = document.querySelectorAll(".toc-box .toc a");
    if (!links.length || !("IntersectionObserver" in window)) return;
    const byId = new Map([...links].map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
    const observer = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (!entry.isIntersecting) return;
          links.forEach((a) => a.classList.remove("active"));
          const link = byId.get(entry.target.id);
          if (link) link.classList.add("active");
        });
      },
      { rootMargin: "0px 0px -70% 0px" }
    );
    byId.forEach((_, id) => {
      const heading = document.getElementById(id);
      if (heading) observer.observe(heading);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    addCopyButtons(document);
    trackToc();
  });
  document.addEventListener("htmx:afterSettle", () => addCopyButtons(document));
})();

// Course outline: open or close every module at once (each module is a <details>).
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-modules]");
  if (!button) return;
  document.querySelectorAll(".module-details").forEach((d) => { d.open = button.dataset.modules === "open"; });
});
