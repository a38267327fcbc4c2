"""Instructors edit a lesson's whole file (front matter + Markdown) in the browser."""

from ..content.validate import validate_lesson
from ..models import Lesson
from ..rendering import Rendered, render_lesson
from .lessons import apply_lesson

MAX_SOURCE_CHARS = 300_000


class LessonSourceInvalid(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def check_source(lesson: Lesson, source: str):
    """Validate without saving; errors read `N행: 메시지`."""
    source = source.replace("\r\n", "\n")
    if len(source) > MAX_SOURCE_CHARS:
        raise LessonSourceInvalid(
            [
                f"레슨 원문이 너무 깁니다 ({len(source):,}자). 최대 {MAX_SOURCE_CHARS:,}자까지 저장할 수 있습니다."
            ]
        )
    data, problems = validate_lesson(lesson.slug, source)
    if problems:
        raise LessonSourceInvalid([f"{line}행: {message}" for line, message in problems])
    return data


def preview(lesson: Lesson, source: str) -> tuple[object, Rendered]:
    data = check_source(lesson, source)
    return data, render_lesson(data.body)


def save_draft(lesson: Lesson, source: str) -> None:
    check_source(lesson, source)
    lesson.draft_source = source.replace("\r\n", "\n")
    lesson.save(update_fields=["draft_source", "updated_at"])


def discard_draft(lesson: Lesson) -> bool:
    """Drop the saved draft; the published version is what the editor shows again."""
    if not lesson.draft_source:
        return False
    lesson.draft_source = ""
    lesson.save(update_fields=["draft_source", "updated_at"])
    return True


def quiz_preview(data) -> list[dict]:
    """The quiz as students will see it (rendered like the lesson page), with the answers."""
    from ..rendering.markdown import render_inline

    return [
        {
            "number": number,
            "key": q.key,
            "kind": q.kind,
            "prompt_html": render_inline(q.prompt),
            "choices": [{**c, "html": render_inline(c["text"])} for c in q.choices],
            "answers": q.answers,
            "explanation_html": render_lesson(q.explanation).html,
        }
        for number, q in enumerate(data.questions, start=1)
    ]


def publish(lesson: Lesson, source: str) -> Lesson:
    data = check_source(lesson, source)
    if data.draft:
        raise LessonSourceInvalid(["공개하려면 앞머리의 'draft: true'를 지워 주세요."])
    lesson.draft_source = ""
    return apply_lesson(lesson, data, status=Lesson.Status.PUBLISHED)


def apply_source(lesson: Lesson, source: str, status: str | None = None) -> Lesson:
    """Admin save: re-derive title, quiz and HTML from the edited source."""
    data = check_source(lesson, source)
    return apply_lesson(lesson, data, status=status)
