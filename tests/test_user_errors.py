"""UserError: services say what went wrong in Korean; one place turns it into a response."""

import pytest
from django.urls import reverse

from labs.models import Lab, LabSession


@pytest.fixture
def others_session(other_student):
    lab = Lab.objects.create(slug="some-lab", title="실습")
    return LabSession.objects.create(user=other_student, lab=lab, provider="namespace")


def test_another_students_session_is_a_korean_404_page(student_client, others_session):
    response = student_client.get(reverse("labs-session-status", args=[others_session.pk]))
    assert response.status_code == 404
    assert "실습 세션을 찾을 수 없습니다" in response.content.decode()
    assert "<html" in response.content.decode()


def test_an_htmx_request_gets_only_the_message_with_the_same_status(htmx_client, others_session):
    response = htmx_client.get(reverse("labs-session-status", args=[others_session.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert 'role="alert"' in body and "실습 세션을 찾을 수 없습니다" in body and "<html" not in body


def test_another_students_submission_is_a_404_too(student_client, other_student, others_session):
    from labs.models import Submission

    submission = Submission.objects.create(user=other_student, lab=others_session.lab, max_score=10)
    response = student_client.get(reverse("labs-submission", args=[submission.pk]))
    assert response.status_code == 404
    assert "채점 기록을 찾을 수 없습니다" in response.content.decode()
