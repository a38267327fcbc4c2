from datetime import timedelta

import pytest
from django.utils import timezone

from labs.models import LabSession
from labs.sandbox.reaper import EXPIRED_REASON, IDLE_REASON, reap


@pytest.fixture(autouse=True)
def no_cluster(settings, tmp_path):
    # Timers only: no sandbox exists, so orphan collection has nothing to look at.
    settings.LAB_CLUSTER_KUBECONFIG = str(tmp_path / "missing-kubeconfig")
    settings.KUBAEUM_STATE_DIR = tmp_path


def ready(user, lab, **times):
    now = timezone.now()
    fields = {"ready_at": now, "last_activity_at": now, "expires_at": now + timedelta(hours=1), **times}
    return LabSession.objects.create(user=user, lab=lab, state="ready", namespace="lab-x", **fields)


def test_the_reaper_ends_expired_and_idle_sessions_and_leaves_active_ones(
    student, other_student, lab, other_lab, django_capture_on_commit_callbacks
):
    expired = ready(student, lab, expires_at=timezone.now() - timedelta(seconds=1))
    idle = ready(other_student, lab, last_activity_at=timezone.now() - timedelta(minutes=21))
    busy = ready(student, other_lab)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        report = reap()
    assert (report["expired"], report["idle"]) == (1, 1)
    expired.refresh_from_db(), idle.refresh_from_db(), busy.refresh_from_db()
    assert (expired.state, expired.end_reason) == ("ending", EXPIRED_REASON)
    assert (idle.state, idle.end_reason) == ("ending", IDLE_REASON)
    assert busy.state == "ready"
    assert len(sent) == 2  # one `end` task per session, sent after commit


def test_the_reaper_requeues_a_request_the_broker_lost_but_not_a_waiting_one(
    student, other_student, lab, settings, django_capture_on_commit_callbacks
):
    old = timezone.now() - timedelta(minutes=5)
    lost = LabSession.objects.create(user=student, lab=lab, created_at=old)
    waiting = LabSession.objects.create(user=other_student, lab=lab, created_at=old, waiting=True)
    settings.LAB_CAPACITY = {**settings.LAB_CAPACITY, "namespace": 1}
    with django_capture_on_commit_callbacks(execute=False) as sent:
        report = reap()
    assert report["requeued"] == 1
    lost.refresh_from_db(), waiting.refresh_from_db()
    assert lost.enqueued_at is not None
    assert waiting.waiting is True  # capacity is still taken by `lost`
    assert len(sent) == 1
