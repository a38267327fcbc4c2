"""Everything the lesson page shows, in a handful of queries."""

import hashlib
import random
from dataclasses import dataclass, field

from ..models import Lesson, Question, QuizAnswer
from .lab_links import labs_for_lesson
from .progress import Bar, completed_ids


@dataclass
class QuizItem:
    q: Question
    number: int
    answer: QuizAnswer | None = None
    error: str | None = None
    fresh: bool = False  # just answered: the result is announced to screen readers
    chosen: set = field(default_factory=set)
    text: str = ""
    choices: list = field(default_factory=list)  # in this student's order

    @property
    def revealed(self) -> bool:
        """The full explanation (and which choices were right) comes after a correct
        answer or a second try; a first wrong answer gets a nudge instead."""
        return self.answer is not None and (self.answer.is_correct or self.answer.attempts >= 2)

    @property
    def nudge(self) -> str:
        if self.answer is None or self.revealed:
            return ""
        if self.q.kind == Question.Kind.MULTIPLE:
            right = {c.get("id") for c in self.q.choices if c.get("correct")}
            if self.chosen - right:
                return f"고른 것 가운데 맞지 않는 것이 있습니다. 정답은 {len(right)}개입니다."
            return f"빠진 정답이 있습니다. 정답은 {len(right)}개입니다."
        if self.q.kind == Question.Kind.SHORT:
            return "용어의 철자나 띄어쓰기를 확인하고, 본문에서 쓴 이름 그대로 적어 보세요."
        return "고른 답이 질문의 조건을 모두 만족하는지 본문을 다시 확인해 보세요."


def shuffled_choices(user_id, q: Question) -> list[dict]:
    """The choices in an order of their own for each student and question, the same on
    every reload and after a re-sync (seeded by the user, lesson and question key, not by
    row ids or time), so nobody can learn that the answer is "usually the first one"."""
    seed = hashlib.sha256(f"{user_id}:{q.lesson_id}:{q.key}".encode()).digest()
    choices = list(q.choices)
    random.Random(int.from_bytes(seed[:8], "big")).shuffle(choices)
    return choices


def quiz_item(
    user_id, q: Question, record: QuizAnswer | None, number: int, error=None, fresh=False
) -> QuizItem:
    item = QuizItem(q=q, number=number, answer=record, error=error, fresh=fresh and record is not None)
    item.choices = shuffled_choices(user_id, q) if q.kind != Question.Kind.SHORT else []
    if record is not None:
        if q.kind == Question.Kind.SHORT:
            item.text = record.answer if isinstance(record.answer, str) else ""
        else:
            item.chosen = set(record.answer or [])
    return item


def lesson_context(user, lesson: Lesson) -> dict:
    course = lesson.course
    # One narrow query gives the whole course order: previous/next and the bar's total.
    ordered = list(
        Lesson.objects.published()
        .filter(course=course)
        .values_list("pk", "slug", "title", "module__title", named=True)
    )
    index = next(i for i, row in enumerate(ordered) if row.pk == lesson.pk)
    done = completed_ids(user, course)
    questions = list(lesson.questions.all())
    answers = {a.question_id: a for a in QuizAnswer.objects.filter(user=user, question__lesson=lesson)}
    return {
        "lesson": lesson,
        "course": course,
        "module": lesson.module,
        "position": index + 1,
        "count": len(ordered),
        "previous": ordered[index - 1] if index > 0 else None,
        "next": ordered[index + 1] if index + 1 < len(ordered) else None,
        "completed": lesson.pk in done,
        "bar": Bar(len(done & {row.pk for row in ordered}), len(ordered)),
        "quiz": [quiz_item(user.pk, q, answers.get(q.pk), i + 1) for i, q in enumerate(questions)],
        "labs": labs_for_lesson(lesson),
    }
