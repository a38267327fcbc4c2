"""Grading services: idempotent grading, the gradebook, and grading a live sandbox in-process."""

import time

import pytest

from labs.cluster.apply import apply_manifests
from labs.grading import dockerfile, services
from labs.grading.services import GradingInputError
from labs.models import Submission
from labs.sandbox.services import session_api_client


def test_unknown_files_are_refused(student, file_lab):
    with pytest.raises(GradingInputError, match="받지 않는 파일입니다: evil.sh"):
        services.request_file_grading(student, file_lab, {"Dockerfile": "FROM a:1\n", "evil.sh": "x"})


def test_a_finished_submission_is_never_graded_again(student, file_lab):
    submission = services.request_file_grading(student, file_lab, {"Dockerfile": "FROM python:3.13\n"})
    done = services.grade_submission(submission.pk)
    assert done.state == "done"
    assert services.grade_submission(submission.pk) is None  # a redelivered task
    again = Submission.objects.get(pk=submission.pk)
    assert again.finished_at == done.finished_at and again.score == done.score


def test_gradebook_counts_attempts_best_score_and_unlocks_hints(student, other_student, file_lab):
    assert services.best_score(student, file_lab) is None
    for text in ("FROM python:latest\n", "FROM python:3.13\nEXPOSE 8000\n"):
        services.grade_submission(services.request_file_grading(student, file_lab, {"Dockerfile": text}).pk)
    services.grade_submission(
        services.request_file_grading(other_student, file_lab, {"Dockerfile": "FROM a:1\n"}).pk
    )
    assert services.attempts(student, file_lab) == 2
    assert services.best_score(student, file_lab) == 35
    assert services.hints_unlocked(student, file_lab)
    assert not services.hints_unlocked(other_student, file_lab)


def test_a_dockerfile_at_the_instruction_limit_grades_in_one_walk_per_stage(student, file_lab, monkeypatch):
    # 249 WORKDIR + COPY pairs: each COPY asked for the directories made so far, and each of
    # those walked the file again (cubic: hours); now every check reads one walk.
    text = "FROM python:3.13\n" + "WORKDIR app\nCOPY server.py .\n" * 249
    submission = services.request_file_grading(student, file_lab, {"Dockerfile": text})
    walks = []
    real_walk = dockerfile._walk

    def counted_walk(stage):
        walks.append(stage)
        return real_walk(stage)

    monkeypatch.setattr(dockerfile, "_walk", counted_walk)
    started = time.process_time()
    done = services.grade_submission(submission.pk)
    print(f"\n{text.count(chr(10))} instructions graded in {time.process_time() - started:.3f} s CPU")
    assert done.state == "done" and 0 < done.score < done.max_score
    assert len(walks) == 1  # one stage, walked once for every check that reads it


@pytest.mark.cluster
def test_grading_a_live_sandbox_gives_partial_then_full_credit(student, ready_session):
    session = ready_session(student, "first-pod")
    first = services.grade_submission(services.request_grading(student, session).pk)
    assert first.state == "done" and first.score == 0
    assert {r.id for r in first.check_results if not r.passed} >= {"pod-exists", "pod-ready"}
    # The student's own credentials apply the pod (what the YAML editor does).
    with session_api_client(session) as api:
        manifests = [dict(m) for m in session.lab.spec.solution.manifests]
        manifests[0]["metadata"] = {**manifests[0]["metadata"], "labels": {"app": "hello"}}
        apply_manifests(api, manifests, namespace=session.namespace)
    partial = services.grade_submission(services.request_grading(student, session).pk)
    failed = {r.id: r for r in partial.check_results if not r.passed}
    assert (
        "label-tier" in failed and failed["label-tier"].detail == "레이블 tier: 기대한 값 web, 실제 값 없음"
    )
    assert 0 < partial.score < partial.max_score


@pytest.mark.cluster
def test_two_clicks_on_grade_queue_one_grading(student, ready_session):
    session = ready_session(student, "first-pod")
    assert services.request_grading(student, session).pk == services.request_grading(student, session).pk


def test_queued_gradings_whose_task_was_lost_are_sent_again(student, file_lab, redis_url):
    from datetime import timedelta

    from django.utils import timezone

    lost = Submission.objects.create(user=student, lab=file_lab, files={"Dockerfile": "FROM a:1\n"})
    Submission.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    fresh = Submission.objects.create(user=student, lab=file_lab, files={"Dockerfile": "FROM a:1\n"})
    import redis

    client = redis.Redis.from_url(redis_url)
    before = client.llen("celery")
    assert services.requeue_stale() == 1
    assert client.llen("celery") == before + 1  # one message on the real broker, for the lost row only
    assert Submission.objects.get(pk=fresh.pk).state == "queued"


def test_a_running_grading_is_taken_over_only_once_its_worker_looks_dead(student, file_lab):
    from datetime import timedelta

    from django.utils import timezone

    submission = services.request_file_grading(student, file_lab, {"Dockerfile": "FROM python:3.13\n"})
    Submission.objects.filter(pk=submission.pk).update(state="running", started_at=timezone.now())
    assert services.grade_submission(submission.pk) is None  # another worker is on it
    Submission.objects.filter(pk=submission.pk).update(started_at=timezone.now() - timedelta(minutes=2))
    assert services.grade_submission(submission.pk).state == "done"
