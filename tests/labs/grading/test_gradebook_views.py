"""Instructors see each lab's pass rate and each student's attempts; students never do."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from labs.models import Lab, LabSession, SolutionReveal, Submission
from tests.labs.definitions import stored_check, stored_definition, stored_step


@pytest.fixture
def lab(db):
    return Lab.objects.create(
        slug="first-pod",
        title="첫 번째 파드",
        definition=stored_definition(steps=[stored_step(checks=[stored_check("pod", points=100)])]),
    )


def graded(user, lab, score, minutes_ago):
    return Submission.objects.create(
        user=user,
        lab=lab,
        state=Submission.State.DONE,
        score=score,
        max_score=100,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def class_work(lab, student, other_student):
    graded(student, lab, 40, 30)
    graded(student, lab, 100, 20)  # passed on the second try
    graded(other_student, lab, 60, 25)
    SolutionReveal.objects.create(user=other_student, lab=lab, best_score_before=60)
    Submission.objects.create(user=other_student, lab=lab, state=Submission.State.QUEUED, max_score=100)
    starter = User.objects.create_user("starter", password="pw-starter-1234")
    LabSession.objects.create(user=starter, lab=lab, state=LabSession.State.READY)
    return lab


def test_instructor_sees_the_pass_rate_of_each_lab(instructor_client, class_work):
    response = instructor_client.get("/labs/gradebook/")
    assert response.status_code == 200
    summary = next(s for s in response.context["summaries"] if s.lab == class_work)
    assert (summary.students, summary.passed, summary.pass_rate) == (2, 1, 50)
    assert summary.submissions == 3  # the queued one is not a grading yet
    assert summary.reveals == 1 and summary.live_sessions == 1
    assert "50%" in response.content.decode()


def test_instructor_sees_each_students_attempts_best_score_and_reveal(instructor_client, class_work):
    response = instructor_client.get(f"/labs/gradebook/{class_work.slug}/")
    assert response.status_code == 200
    rows = {r.username: r for r in response.context["rows"]}
    assert (rows["student"].attempts, rows["student"].best, rows["student"].percent) == (2, 100, 100)
    assert rows["student"].passed_at is not None and not rows["student"].passed_with_help
    assert (rows["other"].attempts, rows["other"].best, rows["other"].passed_at) == (1, 60, None)
    assert rows["other"].revealed_at is not None
    assert rows["starter"].attempts == 0 and rows["starter"].live_state == "사용 가능"
    assert "미통과" in response.content.decode()


def test_a_pass_after_looking_at_the_solution_is_flagged(instructor_client, lab, student):
    SolutionReveal.objects.create(user=student, lab=lab, revealed_at=timezone.now() - timedelta(minutes=10))
    graded(student, lab, 100, 5)
    rows = instructor_client.get(f"/labs/gradebook/{lab.slug}/").context["rows"]
    assert rows[0].passed_with_help
    assert "정답 본 뒤" in instructor_client.get(f"/labs/gradebook/{lab.slug}/").content.decode()


def test_student_cannot_open_the_gradebook(student_client, class_work):
    assert student_client.get("/labs/gradebook/").status_code == 403
    assert student_client.get(f"/labs/gradebook/{class_work.slug}/").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, class_work):
    response = client.get("/labs/gradebook/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_lab_in_the_gradebook_is_404(instructor_client, db):
    assert instructor_client.get("/labs/gradebook/no-such-lab/").status_code == 404


def test_the_instructor_tools_page_links_to_the_gradebook(instructor_client, lab):
    assert "/labs/gradebook/" in instructor_client.get("/instructor/").content.decode()
