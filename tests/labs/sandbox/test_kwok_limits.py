"""A dedicated (kwok) cluster: the student is nearly cluster-admin, yet cannot make the API
server call the host, cannot lift the guard, and the cluster lives under a memory ceiling."""

import contextlib
import socket
import threading
from datetime import timedelta

import pytest
import yaml
from django.utils import timezone
from django.utils.html import escape
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.cluster import limits
from labs.models import Lab, LabSession
from labs.providers import get_provider
from labs.providers import kwok as kwok_provider
from labs.sandbox.lifecycle import provision_session
from labs.sandbox.reaper import reap
from labs.sandbox.services import session_api_client
from tests.k8s_helpers import wait_for

pytestmark = pytest.mark.cluster


def refusal(call, *args, **kwargs) -> ApiException | None:
    try:
        call(*args, **kwargs)
    except ApiException as e:
        return e
    return None


@pytest.fixture
def kwok_session(tmp_path, settings, student, django_capture_on_commit_callbacks):
    settings.KUBAEUM_STATE_DIR = tmp_path / "state"
    settings.LAB_KWOK_NODES = 1
    settings.LAB_KWOK_POOL_SIZE = 0
    lab = Lab.objects.create(slug="cluster-admin-lab", title="노드와 클러스터", scope="cluster")
    session = LabSession.objects.create(user=student, lab=lab, provider="kwok")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    yield session
    for name in kwok_provider._names():
        get_provider("kwok").destroy_orphan(name)


def test_the_students_kubeconfig_is_self_contained_and_names_no_server_file(kwok_session):
    doc = yaml.safe_load(kwok_session.kubeconfig_text)
    [cluster], [user] = doc["clusters"], doc["users"]
    assert set(cluster["cluster"]) == {"server", "certificate-authority-data"}
    assert set(user["user"]) == {"token"}
    assert "/" not in str(user) and "pki" not in kwok_session.kubeconfig_text
    with session_api_client(kwok_session) as api:
        assert client.CoreV1Api(api).list_node().items  # and it works


def test_the_student_still_administers_the_cluster(kwok_session):
    with session_api_client(kwok_session) as api:
        core = client.CoreV1Api(api)
        core.create_namespace({"metadata": {"name": "team-a"}})
        [node] = core.list_node().items
        core.patch_node(
            node.metadata.name, {"metadata": {"labels": {"disk": "ssd"}}, "spec": {"unschedulable": True}}
        )
        assert core.read_node(node.metadata.name).spec.unschedulable is True
        rbac = client.RbacAuthorizationV1Api(api)
        rbac.create_cluster_role({"metadata": {"name": "reader"}, "rules": [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]})  # fmt: skip


def test_the_api_server_cannot_be_pointed_at_a_host_port(kwok_session):
    # A port on the host that must never be called: the test counts connections to it.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port, calls = listener.getsockname()[1], []

    def accept():
        while listener.fileno() != -1:
            try:
                calls.append(listener.accept()[0])
            except (TimeoutError, OSError):
                continue

    threading.Thread(target=accept, daemon=True).start()
    host = {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": port}}}  # fmt: skip
    try:
        with session_api_client(kwok_session) as api:
            core = client.CoreV1Api(api)
            refused = wait_for(
                lambda: refusal(core.create_node, {"metadata": {"name": "evil"}, "status": host}),
                20,
                0.3,
                "refusal",
            )
            assert refused.status == 403 and "노드 오브젝트는 만들 수 없습니다" in refused.body
            [node] = core.list_node().items
            refused = refusal(core.patch_node_status, node.metadata.name, {"status": host})
            assert refused.status == 403 and "status" in refused.body
            endpoints = {"metadata": {"name": "evil"}, "subsets": [{"addresses": [{"ip": "10.0.0.1"}],
                         "ports": [{"port": port}]}]}  # fmt: skip
            assert refusal(core.create_namespaced_endpoints, "default", endpoints).status == 403
            core.create_namespaced_pod("default", {"metadata": {"name": "p"}, "spec": {
                "containers": [{"name": "c", "image": "kubaeum/web:1.0"}]}})  # fmt: skip
            assert refusal(
                core.patch_namespaced_pod_status, "p", "default", {"status": {"podIP": "127.0.0.1"}}
            )
            # kubectl logs goes to the node's real (kwok) address, never to our port: it may
            # fail (nothing serves logs there) or answer, depending on when the pod is bound.
            with contextlib.suppress(ApiException):
                core.read_namespaced_pod_log("p", "default", _request_timeout=5)
        assert calls == []
    finally:
        listener.close()


def test_the_guard_cannot_be_removed_nor_the_rights_widened(kwok_session):
    with session_api_client(kwok_session) as api:
        admission = client.AdmissionregistrationV1Api(api)
        assert (
            refusal(admission.delete_validating_admission_policy_binding, "kubaeum-cluster-guard").status
            == 403
        )
        assert refusal(admission.delete_validating_admission_policy, "kubaeum-cluster-guard").status == 403
        rbac, core = client.RbacAuthorizationV1Api(api), client.CoreV1Api(api)
        binding = {
            "metadata": {"name": "me-admin"},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "cluster-admin",
            },
            "subjects": [{"kind": "ServiceAccount", "name": "kubaeum-student", "namespace": "kube-system"}],
        }
        assert refusal(rbac.create_cluster_role_binding, binding).status == 403
        token = {"spec": {"audiences": [], "expirationSeconds": 600}}
        assert (
            refusal(core.create_namespaced_service_account_token, "default", "kube-system", token).status
            == 403
        )
        secret = {"metadata": {"name": "forever", "annotations": {"kubernetes.io/service-account.name": "default"}},
                  "type": "kubernetes.io/service-account-token"}  # fmt: skip
        assert refusal(core.create_namespaced_secret, "kube-system", secret).status == 403


def test_the_cluster_runs_under_its_memory_ceiling_and_a_student_past_it_loses_the_session(
    kwok_session, settings, django_capture_on_commit_callbacks
):
    name = kwok_session.cluster_name
    cluster = kwok_provider._cluster(name)
    group = cluster.cgroup
    if group is None:
        pytest.skip("no writable cgroup v1 memory controller here (the RSS watchdog applies)")
    assert group.parent.name == "kubaeum" and group.name == name
    assert int((group / "memory.limit_in_bytes").read_text()) == settings.LAB_KWOK_MEMORY_LIMIT_MB * 2**20
    in_group = {int(p) for p in (group / "cgroup.procs").read_text().split()}
    assert set(cluster.pids().values()) <= in_group
    # Tighten this cluster's ceiling to just above what it uses now, then have the
    # student fill it: the kernel, not the student, decides where it stops.
    (group / "memory.limit_in_bytes").write_text(str(limits.usage(group) + 40 * 2**20))
    with session_api_client(kwok_session) as api:
        core = client.CoreV1Api(api)
        payload = {"a": "z" * 200_000}
        for i in range(2000):
            try:
                core.create_namespaced_config_map("default", {"metadata": {"name": f"fill-{i}"}, "data": payload},
                                                  _request_timeout=10)  # fmt: skip
            except Exception:
                break
    wait_for(lambda: limits.oom_kills(group), 60, 0.5, "the kernel to stop the cluster at its ceiling")
    settled = timezone.now() - timedelta(minutes=1)  # the health check spares brand-new sandboxes
    LabSession.objects.filter(pk=kwok_session.pk).update(ready_at=settled)
    with django_capture_on_commit_callbacks(execute=False):
        report = reap()
    assert report["gone"] == 1
    kwok_session.refresh_from_db()
    assert kwok_session.state == "ending"
    assert "메모리 한도" in kwok_session.end_reason and escape("'실습 시작'") in escape(
        kwok_session.end_reason
    )
