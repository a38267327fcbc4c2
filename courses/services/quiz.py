"""Grading: single/multiple compare the chosen set with the correct set; short answers
are compared in the forms short_answer.py treats as the same answer."""

from django.db.models import F

from kubaeum.errors import UserError

from ..models import Question, QuizAnswer
from . import short_answer

MAX_SHORT_ANSWER = 200


class AnswerInvalid(UserError):
    """The submission itself is malformed (not merely wrong): answered with a 400."""


def parse_answer(question: Question, choices: list[str], text: str) -> list[str] | str:
    if question.kind == Question.Kind.SHORT:
        text = (text or "").strip()
        if not text:
            raise AnswerInvalid("답을 입력해 주세요.")
        if len(text) > MAX_SHORT_ANSWER:
            raise AnswerInvalid(f"답이 너무 깁니다. {MAX_SHORT_ANSWER}자 이내로 입력해 주세요.")
        return text
    chosen = sorted(set(choices))
    if not chosen:
        raise AnswerInvalid("선택지를 하나 이상 골라 주세요.")
    unknown = [c for c in chosen if c not in question.choice_ids]
    if unknown:
        raise AnswerInvalid("이 문항에 없는 선택지입니다. 페이지를 새로 고친 뒤 다시 답해 주세요.")
    if question.kind == Question.Kind.SINGLE and len(chosen) != 1:
        raise AnswerInvalid("이 문항은 하나만 고를 수 있습니다.")
    return chosen


def is_correct(question: Question, answer) -> bool:
    if question.kind == Question.Kind.SHORT:
        return short_answer.matches(answer, question.answers)
    return set(answer) == question.correct_ids


def submit(user, question: Question, choices: list[str], text: str) -> QuizAnswer:
    answer = parse_answer(question, choices, text)
    correct = is_correct(question, answer)
    record, created = QuizAnswer.objects.get_or_create(
        user=user, question=question, defaults={"answer": answer, "is_correct": correct}
    )
    if not created:
        record.answer, record.is_correct = answer, correct
        # F(): two quick submissions (double click, two tabs) must both be counted.
        record.attempts = F("attempts") + 1
        record.save(update_fields=["answer", "is_correct", "attempts", "answered_at"])
        record.refresh_from_db(fields=["attempts"])
    return record
