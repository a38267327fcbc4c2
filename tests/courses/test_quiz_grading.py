import pytest

from courses.models import Question, QuizAnswer
from courses.services import quiz


@pytest.fixture
def questions(lesson):
    return {q.key: q for q in lesson.questions.all()}


def test_a_single_choice_answer_is_right_only_with_the_correct_choice(student, questions):
    assert quiz.submit(student, questions["q1"], ["a"], "").is_correct
    assert not quiz.submit(student, questions["q1"], ["b"], "").is_correct


def test_a_multiple_choice_answer_needs_all_correct_choices_and_no_others(student, questions):
    q = questions["q2"]
    assert not quiz.submit(student, q, ["a"], "").is_correct
    assert not quiz.submit(student, q, ["a", "b", "c"], "").is_correct
    record = quiz.submit(student, q, ["b", "a"], "")
    assert record.is_correct and record.answer == ["a", "b"]
    assert record.attempts == 3


@pytest.mark.parametrize("text", ["파드", "  Pod ", "pod", "ＰＯＤ", "파드 "])
def test_a_short_answer_ignores_case_width_and_surrounding_spaces(student, questions, text):
    assert quiz.submit(student, questions["q3"], [], text).is_correct


def test_a_wrong_short_answer_is_wrong(student, questions):
    assert not quiz.submit(student, questions["q3"], [], "노드").is_correct


def test_spaces_inside_a_short_answer_are_collapsed(student):
    q = Question(kind=Question.Kind.SHORT, answers=["컨트롤 플레인"])
    assert quiz.is_correct(q, "컨트롤   플레인")
    assert not quiz.is_correct(q, "컨트롤플레인 노드")


@pytest.mark.parametrize(
    "key, choices, text, message",
    [
        ("q1", ["z"], "", "이 문항에 없는 선택지"),
        ("q1", ["a", "b"], "", "하나만 고를 수 있습니다"),
        ("q2", [], "", "하나 이상 골라"),
        ("q3", [], "   ", "답을 입력해"),
        ("q3", [], "가" * 201, "너무 깁니다"),
    ],
)
def test_malformed_answers_are_refused_and_nothing_is_stored(student, questions, key, choices, text, message):
    with pytest.raises(quiz.AnswerInvalid, match=message):
        quiz.submit(student, questions[key], choices, text)
    assert not QuizAnswer.objects.exists()


def test_each_student_has_their_own_answer(student, other_student, questions):
    quiz.submit(student, questions["q1"], ["a"], "")
    quiz.submit(other_student, questions["q1"], ["b"], "")
    assert QuizAnswer.objects.get(user=student).is_correct
    assert not QuizAnswer.objects.get(user=other_student).is_correct
