"""axe-core in the page (vendored from npm in tests/browser/vendor, never a CDN)."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """WCAG 2.x A/AA violations of the current page that are serious or critical."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: an injected <script> would be refused by
        # the site's Content-Security-Policy (scripts only from our own files).
        page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag',"
        " values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})).violations"
    )
    return [v for v in result if v.get("impact") in SERIOUS]


def describe(violations) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(n.get("target", [])) for n in v.get("nodes", [])[:4]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} → {targets}")
    return "\n".join(lines)
