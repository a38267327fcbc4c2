"""Provisioning while the API server cannot be reached: retried with backoff for the whole
documented window (LAB_PROVISION_RETRY_SECONDS), then a Korean reason that names no
internal host or port.

The outage is real from the worker's side: the admin kubeconfig it reads names a closed
loopback port, and is switched back to the real API server when the outage ends.
"""

import re
import time

import pytest
import yaml
from django.urls import reverse
from django.utils.html import escape

from labs.models import LabSession
from tests.k8s_helpers import wait_for
from tests.servers import free_port

from .helpers import state_of

pytestmark = [pytest.mark.cluster, pytest.mark.worker]


@pytest.fixture
def outage(lab_cluster, tmp_path, settings):
    """A kubeconfig whose server is a closed port; .end() points it at the real cluster."""
    real = lab_cluster.kubeconfig.read_text()
    doc = yaml.safe_load(real)
    server = doc["clusters"][0]["cluster"]["server"]
    doc["clusters"][0]["cluster"]["server"] = re.sub(r":\d+$", f":{free_port()}", server)
    path = tmp_path / "admin-kubeconfig.yaml"
    path.write_text(yaml.safe_dump(doc))

    class Outage:
        kubeconfig = path

        @staticmethod
        def end():
            path.write_text(real)

    settings.LAB_CLUSTER_KUBECONFIG = str(path)
    return Outage


def test_provisioning_keeps_retrying_through_a_forty_second_outage_and_succeeds(
    outage, celery_worker_factory, htmx_client, lab, settings
):
    assert settings.LAB_PROVISION_RETRY_SECONDS >= 60
    celery_worker_factory(LAB_CLUSTER_KUBECONFIG=str(outage.kubeconfig))
    htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    session = LabSession.objects.get(lab=lab)
    started = time.monotonic()
    wait_for(lambda: LabSession.objects.get(pk=session.pk).attempts >= 2, 30, 0.2, "a retry")
    while time.monotonic() - started < 40:
        assert state_of(session) in ("requested", "provisioning"), LabSession.objects.get(
            pk=session.pk
        ).failure_reason
        time.sleep(1)
    outage.end()
    wait_for(lambda: state_of(session) == "ready", 40, 0.2, "ready once the API server is back")


def test_a_lasting_outage_fails_the_session_with_a_korean_reason_and_no_internal_address(
    outage, celery_worker_factory, htmx_client, lab
):
    celery_worker_factory(LAB_CLUSTER_KUBECONFIG=str(outage.kubeconfig), LAB_PROVISION_RETRY_SECONDS=12)
    htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    session = LabSession.objects.get(lab=lab)
    wait_for(lambda: state_of(session) == "failed", 60, 0.3, "the session to fail after the window")
    session.refresh_from_db()
    reason = session.failure_reason
    assert "쿠버네티스 API 서버에 연결할 수 없습니다" in reason
    assert not re.search(r"127\.0\.0\.1|localhost|:\d{2,5}|https?://|urllib3|Errno|Connection", reason), (
        reason
    )
    assert session.attempts >= 3  # retried with backoff, not given up at the first error
    panel = htmx_client.get(reverse("labs-session-status", args=[session.pk]))
    assert escape(reason) in panel.content.decode()
