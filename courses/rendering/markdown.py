import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension

from .sanitize import sanitize
from .slugs import korean_slugify


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            CodeHiliteExtension(css_class="highlight", guess_lang=False, use_pygments=True),
            "tables",
            "admonition",
            "attr_list",
            "sane_lists",
            TocExtension(slugify=korean_slugify, toc_depth="2-3", permalink=False),
        ],
        output_format="html",
    )


# Building a Markdown instance (its parser and every extension) costs more than converting
# a short text, and a sync renders hundreds of them. An instance keeps state while it
# converts, so each thread reuses its own, reset before every use.
_instances = threading.local()


def _reused(build: Callable[[], markdown.Markdown]) -> markdown.Markdown:
    md = getattr(_instances, build.__name__, None)
    if md is None:
        md = build()
        setattr(_instances, build.__name__, md)
    return md.reset()


def render_lesson(body: str) -> Rendered:
    md = _reused(_markdown)
    html = md.convert(body)
    # The TOC has headings only; an empty one means the lesson has no ## sections.
    toc = md.toc if getattr(md, "toc_tokens", None) else ""
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return Rendered(html=sanitize(html), toc_html=sanitize(toc))


def _inline_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML is text here, so `kubectl logs <pod>` shows its placeholder. Escaping the
    # input instead would double-escape it inside code spans (&amp;lt;pod&amp;gt;).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_FENCE = re.compile(r"^\s*```", re.MULTILINE)


def render_prompt(text: str) -> str:
    """Quiz prompts: inline marks, or whole blocks when the question shows a manifest or
    command output in a fenced code block (collapsed into one line, it cannot be read)."""
    if _FENCE.search(text or ""):
        return render_lesson(text).html
    return render_inline(text)


def render_inline(text: str) -> str:
    """Quiz prompts and choices: Markdown inline marks (`code`, **bold**), no blocks."""
    html = _reused(_inline_markdown).convert(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitize(html)
