"""Reliability through the real path: Django views → Redis → a celery worker process."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from kubernetes import client

from labs.models import LabSession
from labs.sandbox import identity
from labs.sandbox.kubeconfig import client_from_text
from labs.sandbox.reaper import WORKER_DIED_REASON, reap
from labs.sandbox.tasks import provision
from labs.sandbox.tasks import reap as reap_task
from tests.k8s_helpers import wait_for

from .helpers import live_namespaces, state_of

pytestmark = [pytest.mark.cluster, pytest.mark.worker]


def start_through_the_web(htmx_client, lab):
    response = htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    assert response.status_code == 200, response.content.decode()
    return LabSession.objects.get(lab=lab, state__in=LabSession.ACTIVE_STATES)


def test_provision_end_to_end_through_the_web(
    htmx_client, student_client, lab_cluster, celery_worker_proc, lab
):
    response = htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    assert "실습 환경을 준비하고 있습니다" in response.content.decode()
    session = LabSession.objects.get(lab=lab)
    status_url = reverse("labs-session-status", args=[session.pk])
    wait_for(lambda: "실습 중" in htmx_client.get(status_url).content.decode(), 30, 0.2, "ready panel")
    session.refresh_from_db()

    download = student_client.get(reverse("labs-session-kubeconfig", args=[session.pk]))
    assert download.status_code == 200
    with client_from_text(download.content.decode()) as api:
        names = [
            c.metadata.name for c in client.CoreV1Api(api).list_namespaced_config_map(session.namespace).items
        ]
    assert "welcome" in names  # the lab's setup object is in place

    # Reloading the lab page resumes the same live session.
    again = htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    assert "실습 중" in again.content.decode()
    assert LabSession.objects.filter(lab=lab).count() == 1

    ended = htmx_client.post(reverse("labs-session-end", args=[session.pk]))
    assert ended.status_code == 200
    wait_for(lambda: state_of(session) == "ended", 30, 0.2, "ended")
    assert live_namespaces(lab_cluster, session.pk) == []
    session.refresh_from_db()
    assert session.credentials == ""  # nothing usable is kept after the end


def test_killing_the_worker_during_provisioning_leaves_no_orphan(
    htmx_client, lab_cluster, celery_worker_factory, lab, settings
):
    worker = celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=60)
    session = start_through_the_web(htmx_client, lab)
    # The worker created the namespace and is still busy: kill it without warning.
    wait_for(lambda: live_namespaces(lab_cluster, session.pk), 30, 0.1, "namespace created")
    assert state_of(session) == "provisioning"
    worker.kill()

    settings.LAB_PROVISION_TIMEOUT_SECONDS = 0
    settings.LAB_PROVISION_MAX_ATTEMPTS = 1
    report = reap()
    assert report["failed"] == 1
    session.refresh_from_db()
    assert session.state == "failed"
    assert session.failure_reason == WORKER_DIED_REASON
    assert live_namespaces(lab_cluster, session.pk) == []
    panel = htmx_client.get(reverse("labs-session-panel", args=[lab.slug])).content.decode()
    assert escape(WORKER_DIED_REASON) in panel and "실습 시작" in panel


def test_the_reaper_resumes_a_provisioning_session_a_dead_worker_left(
    htmx_client, lab_cluster, celery_worker_factory, lab, settings
):
    worker = celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=60)
    session = start_through_the_web(htmx_client, lab)
    wait_for(lambda: live_namespaces(lab_cluster, session.pk), 30, 0.1, "namespace created")
    worker.kill()
    celery_worker_factory()  # a healthy worker takes over
    settings.LAB_PROVISION_TIMEOUT_SECONDS = 0
    assert reap()["rescued"] == 1
    wait_for(lambda: state_of(session) == "ready", 30, 0.2, "ready after rescue")
    assert live_namespaces(lab_cluster, session.pk) == [identity.namespace_name(session)]


def test_a_session_requested_while_redis_is_down_still_becomes_ready(
    htmx_client, lab_cluster, redis_server, celery_worker_factory, lab
):
    worker = celery_worker_factory(start=False, LAB_REQUEUE_AFTER_SECONDS=0)
    redis_server.stop()
    try:
        session = start_through_the_web(htmx_client, lab)  # no 500: the row is the truth
        assert state_of(session) == "requested"
    finally:
        redis_server.start()  # same port
    worker.start()
    reap_task.apply_async()  # what beat sends every 30 s
    wait_for(lambda: state_of(session) == "ready", 40, 0.2, "ready after the broker came back")


def test_the_reaper_ends_an_idle_session_and_deletes_its_namespace(
    htmx_client, lab_cluster, celery_worker_proc, lab
):
    session = start_through_the_web(htmx_client, lab)
    wait_for(lambda: state_of(session) == "ready", 30, 0.2, "ready")
    assert live_namespaces(lab_cluster, session.pk)
    LabSession.objects.filter(pk=session.pk).update(last_activity_at=timezone.now() - timedelta(minutes=25))
    reap_task.apply_async()
    wait_for(lambda: state_of(session) == "ended", 30, 0.2, "ended by the reaper")
    session.refresh_from_db()
    assert "활동이 없어" in session.end_reason
    assert live_namespaces(lab_cluster, session.pk) == []


def test_running_provision_twice_creates_one_sandbox(lab_cluster, celery_worker_factory, student, lab):
    celery_worker_factory(pool="prefork", concurrency=2)
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    provision.apply_async(args=[session.pk])
    provision.apply_async(args=[session.pk])
    wait_for(lambda: state_of(session) == "ready", 30, 0.2, "ready")
    provision.apply_async(args=[session.pk])  # a late duplicate
    session.refresh_from_db()
    assert session.attempts == 1
    assert live_namespaces(lab_cluster, session.pk) == [identity.namespace_name(session)]


def test_a_transient_failure_is_retried_with_backoff_until_ready(
    lab_cluster, celery_worker_proc, student, lab
):
    from labs.cluster import api_client

    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    name = identity.namespace_name(session)
    with api_client(lab_cluster.kubeconfig) as api:
        core = client.CoreV1Api(api)
        # A namespace of that name still being deleted (held by a finalizer).
        core.create_namespace({"metadata": {"name": name, "labels": identity.labels(session)}})
        hold = {"metadata": {"name": "hold", "finalizers": ["kubaeum.io/test-hold"]}}
        core.create_namespaced_config_map(name, hold)
        core.delete_namespace(name)
        provision.apply_async(args=[session.pk])
        wait_for(lambda: LabSession.objects.get(pk=session.pk).attempts >= 2, 30, 0.1, "a retry")
        assert state_of(session) in ("requested", "provisioning")
        core.patch_namespaced_config_map("hold", name, {"metadata": {"finalizers": None}})
    wait_for(lambda: state_of(session) == "ready", 90, 0.2, "ready after the old namespace went away")
    assert live_namespaces(lab_cluster, session.pk) == [name]
