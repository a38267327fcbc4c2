"""Lesson Markdown → safe HTML, done once when a lesson is synced or saved."""

from .markdown import Rendered, render_inline, render_lesson

__all__ = ["Rendered", "render_lesson", "render_inline"]
