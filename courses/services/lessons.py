"""Turn a validated lesson (LessonData) into rows: rendered HTML and quiz questions."""

from django.utils import timezone

from ..content.schema import LessonData
from ..models import Course, Lesson, Question
from ..rendering import render_inline, render_lesson, render_prompt
from . import page_cache


def apply_lesson(lesson: Lesson, data: LessonData, *, status: str | None = None) -> Lesson:
    """Render once and store; the lesson page never renders Markdown per request."""
    rendered = render_lesson(data.body)
    lesson.slug = data.slug
    lesson.title = data.title
    lesson.summary = data.summary
    lesson.minutes = data.minutes
    lesson.objectives = data.objectives
    lesson.source = data.source
    lesson.body_html = rendered.html
    lesson.toc_html = rendered.toc_html
    lesson.content_hash = data.hash
    lesson.status = status or (Lesson.Status.DRAFT if data.draft else Lesson.Status.PUBLISHED)
    lesson.save()
    _apply_questions(lesson, data)
    # The course's timestamp versions cached lesson pages (titles in previous/next).
    Course.objects.filter(pk=lesson.course_id).update(updated_at=timezone.now())
    page_cache.forget_content_version()
    return lesson


def _apply_questions(lesson: Lesson, data: LessonData) -> None:
    # Questions are matched by their stable id so students' answers survive edits.
    existing = {q.key: q for q in lesson.questions.all()}
    for order, q in enumerate(data.questions):
        question = existing.pop(q.key, None) or Question(lesson=lesson, key=q.key)
        question.order = order
        question.kind = q.kind
        question.prompt = q.prompt
        question.prompt_html = render_prompt(q.prompt)
        question.choices = [{**c, "html": render_inline(c["text"])} for c in q.choices]
        question.answers = q.answers
        question.explanation = q.explanation
        question.explanation_html = render_lesson(q.explanation).html
        question.save()
    if existing:
        Question.objects.filter(pk__in=[q.pk for q in existing.values()]).delete()
