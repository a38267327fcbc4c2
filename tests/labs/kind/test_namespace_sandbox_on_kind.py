"""Namespace sandboxes on a kind lab cluster (LAB_SHARED_CLUSTER=kind): the student's pods
are real containers, and the ResourceQuota and the student's RBAC still hold."""

import time

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.models import Lab, LabSession
from labs.providers import get_provider
from labs.sandbox.lifecycle import provision_session
from labs.sandbox.services import session_api_client

pytestmark = [pytest.mark.kind, pytest.mark.django_db]


def status_of(call, *args, **kwargs) -> int:
    try:
        call(*args, **kwargs)
    except ApiException as e:
        return e.status
    return 200


@pytest.fixture
def kind_sandbox(kind_cluster, settings, student, unique_sandbox_names):
    unique_sandbox_names("kns")
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kind"
    lab = Lab.objects.create(slug="real-web", title="실제 웹 서버", scope="namespace", containers=True)
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    api = session_api_client(session)
    yield session, api
    api.close()
    get_provider("namespace").destroy(session)


def test_the_namespace_provider_serves_container_labs_when_the_shared_cluster_is_kind(settings):
    lab = Lab(slug="x", title="x", scope="namespace", containers=True)
    settings.LAB_SHARED_CLUSTER = "kwok"
    assert get_provider("namespace").can_serve(lab) is False
    settings.LAB_SHARED_CLUSTER = "kind"
    assert get_provider("namespace").can_serve(lab) is True


def test_a_students_pod_runs_a_real_container_within_quota_and_rbac(kind_sandbox):
    session, api = kind_sandbox
    core = client.CoreV1Api(api)
    ns = session.namespace
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {
            "terminationGracePeriodSeconds": 1,
            "containers": [{"name": "web", "image": "kubaeum/web:1.1", "imagePullPolicy": "Never"}],
        },
    }
    core.create_namespaced_pod(ns, pod)
    deadline = time.monotonic() + 120
    while core.read_namespaced_pod("web", ns).status.phase != "Running":
        assert time.monotonic() < deadline, "the student's pod never ran"
        time.sleep(1)
    log = ""
    while "listening on :8080" not in log and time.monotonic() < deadline:
        log = core.read_namespaced_pod_log("web", ns)
        time.sleep(0.5)
    assert "kubaeum-web 1.1 listening on :8080" in log

    # The quota refuses a pod asking for more CPU than the namespace may request (each
    # container stays within the LimitRange's per-container maximum of 2).
    greedy = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "greedy"},
        "spec": {
            "containers": [
                {
                    "name": f"c{i}",
                    "image": "kubaeum/busybox:1.35",
                    "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "2"}},
                }
                for i in range(3)
            ]
        },
    }
    with pytest.raises(ApiException) as refused:
        core.create_namespaced_pod(ns, greedy)
    assert refused.value.status == 403 and "exceeded quota" in refused.value.body

    # RBAC: nothing outside the student's namespace.
    assert status_of(core.list_namespace) == 403
    assert status_of(core.list_namespaced_pod, "kube-system") == 403
    assert status_of(core.create_namespace, {"metadata": {"name": "mine"}}) == 403
