"""Isolation is enforced by the API server: every check uses student A's own token."""

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.sandbox.services import session_api_client

pytestmark = pytest.mark.cluster


def status_of(call, *args, **kwargs) -> int:
    try:
        call(*args, **kwargs)
    except ApiException as e:
        return e.status
    return 200


def pod(name):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
    }


@pytest.fixture
def two_sandboxes(provisioned, student, other_student):
    a, b = provisioned(student), provisioned(other_student)
    api = session_api_client(a)
    yield a, b, api
    api.close()


def test_a_student_works_freely_in_their_own_namespace(two_sandboxes):
    a, _, api = two_sandboxes
    core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
    assert core.read_namespaced_config_map("welcome", a.namespace).data == {"hello": "쿠배움"}  # setup object
    core.create_namespaced_pod(a.namespace, pod("web"))
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod("x")["spec"]},
        },
    }
    apps.create_namespaced_deployment(a.namespace, deployment)
    core.create_namespaced_secret(a.namespace, {"metadata": {"name": "mine"}, "stringData": {"k": "v"}})
    assert "web" in [p.metadata.name for p in core.list_namespaced_pod(a.namespace).items]
    # The LimitRange filled in defaults for a container without resources.
    created = core.read_namespaced_pod("web", a.namespace)
    assert created.spec.containers[0].resources.requests == {"cpu": "10m", "memory": "64Mi"}


def test_another_students_namespace_is_forbidden(two_sandboxes):
    _, b, api = two_sandboxes
    core = client.CoreV1Api(api)
    assert status_of(core.list_namespaced_pod, b.namespace) == 403
    assert status_of(core.list_namespaced_config_map, b.namespace) == 403
    assert status_of(core.create_namespaced_pod, b.namespace, pod("intruder")) == 403
    assert status_of(core.delete_namespaced_config_map, "welcome", b.namespace) == 403


def test_cluster_scoped_objects_are_forbidden(two_sandboxes):
    _, _, api = two_sandboxes
    core, rbac = client.CoreV1Api(api), client.RbacAuthorizationV1Api(api)
    assert status_of(core.create_namespace, {"metadata": {"name": "my-own-namespace"}}) == 403
    assert status_of(core.list_namespace) == 403
    assert status_of(rbac.create_cluster_role, {"metadata": {"name": "mine"}, "rules": []}) == 403
    binding = {
        "metadata": {"name": "mine"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "ServiceAccount", "name": "student", "namespace": "default"}],
    }
    assert status_of(rbac.create_cluster_role_binding, binding) == 403
    assert status_of(core.create_node, {"metadata": {"name": "my-node"}}) == 403
    assert status_of(core.list_node) == 403
    volume = {
        "metadata": {"name": "pv"},
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/"}},
    }
    assert status_of(core.create_persistent_volume, volume) == 403


@pytest.mark.parametrize("role", ["cluster-admin", "admin", "edit"])
def test_binding_oneself_to_a_stronger_role_is_refused(two_sandboxes, role):
    a, _, api = two_sandboxes
    binding = {
        "metadata": {"name": f"escalate-{role}"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": [{"kind": "ServiceAccount", "name": "student", "namespace": a.namespace}],
    }
    rbac = client.RbacAuthorizationV1Api(api)
    assert status_of(rbac.create_namespaced_role_binding, a.namespace, binding) == 403
    assert (
        status_of(rbac.create_namespaced_role, a.namespace, {"metadata": {"name": "x"}, "rules": []}) == 403
    )


def test_secrets_outside_ones_namespace_are_forbidden(two_sandboxes):
    _, b, api = two_sandboxes
    core = client.CoreV1Api(api)
    assert status_of(core.list_namespaced_secret, "kube-system") == 403
    assert status_of(core.list_namespaced_secret, "default") == 403
    assert status_of(core.list_namespaced_secret, b.namespace) == 403
    assert status_of(core.list_secret_for_all_namespaces) == 403


def test_the_twenty_first_pod_is_refused_by_the_quota(two_sandboxes):
    a, _, api = two_sandboxes
    core = client.CoreV1Api(api)
    for i in range(20):
        core.create_namespaced_pod(a.namespace, pod(f"p{i}"))
    with pytest.raises(ApiException) as refused:
        core.create_namespaced_pod(a.namespace, pod("p20"))
    assert refused.value.status == 403
    assert "exceeded quota" in refused.value.body


def test_the_token_stops_working_when_the_session_ends(provisioned, student):
    from labs.providers import get_provider

    session = provisioned(student)
    api = session_api_client(session)
    core = client.CoreV1Api(api)
    assert core.list_namespaced_pod(session.namespace).items == []
    get_provider("namespace").destroy(session)
    # The namespace (and with it the ServiceAccount) is going away: no more access.
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if status_of(core.list_namespaced_pod, session.namespace) in (401, 403):
            break
        time.sleep(0.2)
    assert status_of(core.list_namespaced_pod, session.namespace) in (401, 403)


def test_privileged_and_host_path_pods_are_refused(two_sandboxes):
    a, _, api = two_sandboxes
    core = client.CoreV1Api(api)
    privileged = pod("root")
    privileged["spec"]["containers"][0]["securityContext"] = {"privileged": True}
    assert status_of(core.create_namespaced_pod, a.namespace, privileged) == 403
    host = pod("host")
    host["spec"]["volumes"] = [{"name": "root", "hostPath": {"path": "/"}}]
    assert status_of(core.create_namespaced_pod, a.namespace, host) == 403
    node_port = {"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}
    assert status_of(core.create_namespaced_service, a.namespace, node_port) == 403
