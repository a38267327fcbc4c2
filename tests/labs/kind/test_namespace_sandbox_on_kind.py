"""Namespace sandboxes on a kind lab cluster (LAB_SHARED_CLUSTER=kind): the student's pods
are real containers, the ResourceQuota and the student's RBAC still hold, the provider asks
the cluster itself whether it runs containers, and an `http_get` check really asks the
student's Service, with the student's own credentials."""

import time

import pytest
from django.conf import settings as django_settings
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.content import sync_labs
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


def sandbox_on_kind(kind_cluster, settings, student, lab):
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kind"
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    api = session_api_client(session)
    yield session, api
    api.close()
    get_provider("namespace").destroy(session)


@pytest.fixture
def kind_sandbox(kind_cluster, settings, student, unique_sandbox_names):
    unique_sandbox_names("kns")
    lab = Lab.objects.create(slug="real-web", title="실제 웹 서버", scope="namespace", containers=True)
    yield from sandbox_on_kind(kind_cluster, settings, student, lab)


@pytest.fixture
def answering_lab_sandbox(kind_cluster, settings, student, unique_sandbox_names):
    """A session of the lab whose last check sends a real HTTP request to the student's Service."""
    unique_sandbox_names("kht")
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    sync_labs(django_settings.CONTENT_DIR)
    yield from sandbox_on_kind(
        kind_cluster, settings, student, Lab.objects.get(slug="service-really-answers")
    )


def test_whether_namespace_sandboxes_run_real_containers_is_asked_of_the_shared_cluster(
    kind_cluster, cluster, settings
):
    lab = Lab(slug="x", title="x", scope="namespace", containers=True)
    provider = get_provider("namespace")
    # The cluster's nodes decide, not the setting: a kind cluster runs containers even where
    # the setting still says kwok, and the local kwok cluster does not where it says kind.
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kwok"
    assert provider.containers is True and provider.can_serve(lab) is True
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kind"
    assert provider.containers is False and provider.can_serve(lab) is False


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


def hello(target_port: int) -> list[dict]:
    labels = {"app": "hello"}
    container = {
        "name": "web",
        "image": "kubaeum/web:1.0",
        "args": ["--port=9090", "--text=안녕하세요 쿠배움"],
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 9090}, "periodSeconds": 1},
    }
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "hello"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"terminationGracePeriodSeconds": 1, "containers": [container]},
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "hello"},
            "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": target_port}]},
        },
    ]


def answers(student, session) -> dict:
    """The `answers` check (http_get) of a real grading, run as the grading task runs it."""
    from labs.grading import services

    done = services.grade_submission(services.request_grading(student, session).pk)
    assert done is not None and done.state == "done", done and done.error
    return next(r for r in done.results if r["id"] == "answers")


def test_an_http_check_in_a_namespace_sandbox_on_kind_asks_the_students_real_service(
    answering_lab_sandbox, student
):
    from labs.cluster.apply import apply_manifests

    session, api = answering_lab_sandbox
    # Nothing answers yet: the check fails (on kwok it is skipped, since nothing runs there).
    first = answers(student, session)
    assert not first["passed"] and not first["skipped"], first
    # The Service sends port 80 to 8080, where this server does not listen: a real refusal.
    apply_manifests(api, hello(target_port=8080), namespace=session.namespace)
    deadline = time.monotonic() + 120
    apps = client.AppsV1Api(api)
    while (apps.read_namespaced_deployment("hello", session.namespace).status.ready_replicas or 0) < 2:
        assert time.monotonic() < deadline, "the hello deployment never became ready"
        time.sleep(1)
    wrong = answers(student, session)
    assert not wrong["passed"] and "응답 코드" in wrong["detail"], wrong
    # Fixed: the request through the API server's service proxy, made with the student's
    # own credentials (their Role allows services/proxy), gets the real page.
    apply_manifests(api, hello(target_port=9090), namespace=session.namespace)
    right = answers(student, session)
    while not right["passed"] and time.monotonic() < deadline:
        time.sleep(1)  # the endpoints follow the Service's new targetPort a moment later
        right = answers(student, session)
    assert right["passed"] and not right["skipped"], right
