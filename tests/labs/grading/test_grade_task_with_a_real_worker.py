"""Grading through the real Celery path: request → Redis → worker process → row done."""

import time

import pytest

from labs.grading import services
from labs.models import Submission

pytestmark = [pytest.mark.worker, pytest.mark.cluster]


def wait_done(pk, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Submission.objects.get(pk=pk)
        if row.is_finished:
            return row
        time.sleep(0.05)
    raise AssertionError(f"submission {pk} still {row.state} after {timeout}s")


def test_a_live_grading_is_done_by_the_worker_with_the_sessions_credentials(
    student, ready_session, celery_worker_proc
):
    session = ready_session(student, "service-expose")
    submission = services.request_grading(student, session)
    done = wait_done(submission.pk)
    assert done.state == "done", done.error
    results = {r.id: r for r in done.check_results}
    assert not results["service-exists"].passed
    assert results["service-exists"].detail == "서비스 'shop': 기대한 값 있음, 실제 값 없음"
    assert done.duration_ms is not None and done.score < done.max_score


def test_a_file_grading_is_done_by_the_worker(student, file_lab, celery_worker_proc):
    solution = dict(file_lab.spec.solution.files)
    done = wait_done(services.request_file_grading(student, file_lab, solution).pk)
    assert done.state == "done" and done.score == done.max_score == 100
