"""A worker killed in the middle of provisioning: the student waits seconds, not minutes.

The kill lands mid-task (KUBAEUM_LAB_PROVISION_PAUSE holds the worker after it created the
namespace); nothing is shortened: the default provisioning timeout (180 s) and the default
reaper interval apply, so only the worker's lapsed lease can explain a quick rescue.
"""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from labs.models import LabSession
from labs.sandbox.reaper import reap
from tests.k8s_helpers import wait_for

from .helpers import live_namespaces, state_of

pytestmark = [pytest.mark.cluster, pytest.mark.worker]


def test_a_session_whose_worker_was_killed_mid_task_is_ready_well_under_a_minute(
    lab_cluster, celery_worker_factory, htmx_client, lab
):
    assert settings.LAB_PROVISION_TIMEOUT_SECONDS >= 120  # the slow path cannot be what saves us
    stuck = celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=120)
    response = htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    assert response.status_code == 200
    session = LabSession.objects.get(lab=lab)
    wait_for(lambda: live_namespaces(lab_cluster, session.pk), 30, 0.1, "namespace created")
    assert state_of(session) == "provisioning"
    stuck.kill()
    killed_at = time.monotonic()
    celery_worker_factory()  # the surviving worker

    # What beat does: the reaper every LAB_REAP_INTERVAL_SECONDS.
    def reaped_and_ready():
        reap()
        return state_of(session) == "ready"

    wait_for(reaped_and_ready, 45, settings.LAB_REAP_INTERVAL_SECONDS, "ready after the kill")
    waited = time.monotonic() - killed_at
    assert waited < 45, waited
    session.refresh_from_db()
    assert session.attempts == 2
    panel = htmx_client.get(reverse("labs-session-status", args=[session.pk])).content.decode()
    assert "실습 중" in panel


def test_a_live_worker_holding_its_lease_is_left_alone(lab_cluster, celery_worker_factory, htmx_client, lab):
    celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=25)
    htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    session = LabSession.objects.get(lab=lab)
    wait_for(lambda: state_of(session) == "provisioning", 30, 0.1, "provisioning")
    time.sleep(18)  # longer than the lease: only its renewal keeps the session with its worker
    assert reap()["rescued"] == 0
    wait_for(lambda: state_of(session) == "ready", 30, 0.2, "ready from the first worker")
    session.refresh_from_db()
    assert session.attempts == 1
