"""Lesson Markdown → safe HTML, done once when a lesson is synced or saved."""

from .markdown import Rendered, render_inline, render_lesson, render_prompt

# Part of every lesson's content hash: bump it whenever the rendered HTML for the same
# source changes (extensions, sanitiser rules), and the next sync_content re-renders
# every stored lesson instead of keeping HTML from the old renderer.
RENDERER_VERSION = "2026-12-02.1"

__all__ = ["RENDERER_VERSION", "Rendered", "render_lesson", "render_inline", "render_prompt"]
