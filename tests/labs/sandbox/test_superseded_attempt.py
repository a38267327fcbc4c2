"""A provisioning attempt the reaper gave up on must not destroy the sandbox a later attempt owns."""

import threading
import time

import pytest
from django.db import connection
from kubernetes import client

from labs.cluster import api_client
from labs.models import LabSession
from labs.sandbox.lifecycle import provision_session

pytestmark = pytest.mark.cluster


def test_a_late_attempt_leaves_the_ready_sandbox_of_the_session_alone(
    transactional_db, provisioned, student, settings, lab_cluster
):
    session = provisioned(student)
    # The reaper rescued the session while its first worker was still busy...
    LabSession.objects.filter(pk=session.pk).update(state="requested")
    settings.LAB_PROVISION_PAUSE_SECONDS = 3
    outcome = []

    def second_attempt():
        try:
            outcome.append(provision_session(session.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=second_attempt)
    worker.start()
    deadline = time.monotonic() + 30
    while LabSession.objects.get(pk=session.pk).state != "provisioning":
        assert time.monotonic() < deadline and worker.is_alive()
        time.sleep(0.05)
    # ...and the first worker then finished: the session is ready with its sandbox.
    LabSession.objects.filter(pk=session.pk).update(state="ready")
    worker.join(60)
    assert outcome == ["superseded"]
    with api_client(lab_cluster.kubeconfig) as api:
        namespace = client.CoreV1Api(api).read_namespace(session.namespace)
    assert namespace.metadata.deletion_timestamp is None
    assert LabSession.objects.get(pk=session.pk).state == "ready"
