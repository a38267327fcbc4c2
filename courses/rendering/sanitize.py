"""nh3 policy: exactly what our Markdown renderer produces, nothing that can run code."""

import nh3
from pygments.token import STANDARD_TYPES

_TOKEN_CLASSES = {cls for cls in STANDARD_TYPES.values() if cls}
_ADMONITIONS = {
    "admonition",
    "admonition-title",
    "note",
    "tip",
    "warning",
    "danger",
    "info",
    "important",
    "caution",
}

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "strong", "em", "b", "i", "del", "sup", "sub",
    "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "code", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "img", "figure", "figcaption",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
CLASSES = {
    "div": {"highlight", "toc", "table-wrap", *_ADMONITIONS},
    "p": {"admonition-title"},
    "span": _TOKEN_CLASSES | {"filename", "toctitle"},
    "code": {"highlight"}
    | {f"language-{x}" for x in ("yaml", "bash", "console", "dockerfile", "json", "python", "text")},
    "a": {"headerlink", "toclink"},
    "img": {"diagram"},
    "pre": {"highlight"},
    "table": {"table"},
}


def _safe_image_src(value: str) -> str | None:
    # Diagrams ship with the site: /static/… or a relative path. No remote images
    # (privacy, and learners behind firewalls) and no data:/javascript: URLs.
    v = value.strip()
    if v.startswith("/static/"):
        return v
    if v.startswith(("/", "\\")) or ":" in v.split("/", 1)[0]:
        return None
    return v


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src":
        return _safe_image_src(value)
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        attribute_filter=_filter,
        link_rel="noopener noreferrer",
    )
