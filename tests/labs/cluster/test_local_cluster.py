"""The local cluster is upstream Kubernetes: real controllers, RBAC, quotas, rollouts."""

import subprocess

import pytest
from kubernetes import client as k8s
from kubernetes.client.exceptions import ApiException

from labs.cluster import api_client
from labs.cluster.apply import apply_manifests
from labs.cluster.binaries import kubectl_path
from tests.k8s_helpers import deployment, wait_for

pytestmark = pytest.mark.cluster


def available(apps, name, namespace):
    return apps.read_namespaced_deployment(name, namespace).status.available_replicas or 0


def test_it_is_ready_with_two_simulated_nodes_and_a_default_service_account(cluster, admin_api):
    core = k8s.CoreV1Api(admin_api)
    nodes = core.list_node().items
    assert len(nodes) >= 2
    assert all(any(c.type == "Ready" and c.status == "True" for c in n.status.conditions) for n in nodes)
    assert core.read_namespaced_service_account("default", "default").metadata.name == "default"
    assert all(s.healthy for s in cluster.status())


def test_a_deployment_of_three_replicas_becomes_three_of_three_ready(admin_api, namespace):
    apps = k8s.AppsV1Api(admin_api)
    apply_manifests(admin_api, [deployment("web", replicas=3)], namespace=namespace)
    wait_for(lambda: available(apps, "web", namespace) == 3, what="3/3 available")
    pods = k8s.CoreV1Api(admin_api).list_namespaced_pod(namespace, label_selector="app=web").items
    assert len(pods) == 3
    assert {p.status.phase for p in pods} == {"Running"}


def test_scaling_to_five_and_back_to_three_works(admin_api, namespace):
    apps = k8s.AppsV1Api(admin_api)
    apply_manifests(admin_api, [deployment("web", replicas=3)], namespace=namespace)
    wait_for(lambda: available(apps, "web", namespace) == 3, what="3 available")
    apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 5}})
    wait_for(lambda: available(apps, "web", namespace) == 5, what="5 available")
    apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 3}})
    core = k8s.CoreV1Api(admin_api)
    wait_for(
        lambda: (
            len(
                [
                    p
                    for p in core.list_namespaced_pod(namespace, label_selector="app=web").items
                    if not p.metadata.deletion_timestamp
                ]
            )
            == 3
        ),
        what="back to 3 pods",
    )


def kubectl(cluster, *args):
    done = subprocess.run(
        [kubectl_path(), "--kubeconfig", str(cluster.kubeconfig), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_changing_the_image_rolls_out_and_rollout_undo_restores_the_previous_revision(
    cluster, admin_api, namespace
):
    apps = k8s.AppsV1Api(admin_api)
    apply_manifests(admin_api, [deployment("web", image="nginx:1.26")], namespace=namespace)
    wait_for(lambda: available(apps, "web", namespace) == 3, what="first rollout")
    kubectl(cluster, "-n", namespace, "set", "image", "deployment/web", "web=nginx:1.27")
    kubectl(cluster, "-n", namespace, "rollout", "status", "deployment/web", "--timeout=30s")
    current = apps.read_namespaced_deployment("web", namespace)
    assert current.spec.template.spec.containers[0].image == "nginx:1.27"
    assert current.metadata.annotations["deployment.kubernetes.io/revision"] == "2"

    kubectl(cluster, "-n", namespace, "rollout", "undo", "deployment/web")
    kubectl(cluster, "-n", namespace, "rollout", "status", "deployment/web", "--timeout=30s")
    restored = apps.read_namespaced_deployment("web", namespace)
    assert restored.spec.template.spec.containers[0].image == "nginx:1.26"
    assert restored.metadata.annotations["deployment.kubernetes.io/revision"] == "3"
    history = kubectl(cluster, "-n", namespace, "rollout", "history", "deployment/web")
    assert "2" in history and "3" in history


def test_a_services_endpointslices_list_the_ready_pods_ips(admin_api, namespace):
    apps = k8s.AppsV1Api(admin_api)
    apply_manifests(
        admin_api,
        [
            deployment("api", replicas=2),
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "api"},
                "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": 8080}]},
            },
        ],
        namespace=namespace,
    )
    wait_for(lambda: available(apps, "api", namespace) == 2, what="2 available")
    core = k8s.CoreV1Api(admin_api)
    pod_ips = sorted(
        p.status.pod_ip for p in core.list_namespaced_pod(namespace, label_selector="app=api").items
    )
    discovery = k8s.DiscoveryV1Api(admin_api)

    def endpoint_ips():
        slices = discovery.list_namespaced_endpoint_slice(
            namespace, label_selector="kubernetes.io/service-name=api"
        ).items
        ips = sorted(
            addr for s in slices for e in (s.endpoints or []) if e.conditions.ready for addr in e.addresses
        )
        return ips if ips == pod_ips else None

    assert wait_for(endpoint_ips, what="endpoint slice with the pod IPs") == pod_ips
    assert all(ip for ip in pod_ips)


def test_a_service_account_with_no_rights_gets_403(cluster, admin_api, namespace):
    core = k8s.CoreV1Api(admin_api)
    core.create_namespaced_service_account(
        namespace, k8s.V1ServiceAccount(metadata=k8s.V1ObjectMeta(name="nobody"))
    )
    token = core.create_namespaced_service_account_token(
        "nobody",
        namespace,
        k8s.AuthenticationV1TokenRequest(spec=k8s.V1TokenRequestSpec(audiences=[], expiration_seconds=600)),
    ).status.token
    config = k8s.Configuration()
    config.host = admin_api.configuration.host
    config.ssl_ca_cert = admin_api.configuration.ssl_ca_cert
    config.verify_ssl = admin_api.configuration.verify_ssl
    config.api_key = {"authorization": token}
    config.api_key_prefix = {"authorization": "Bearer"}
    with k8s.ApiClient(config) as weak:
        with pytest.raises(ApiException) as denied:
            k8s.CoreV1Api(weak).list_namespaced_pod(namespace)
    assert denied.value.status == 403


def test_a_resource_quota_rejects_the_pod_over_the_limit(admin_api, namespace):
    core = k8s.CoreV1Api(admin_api)
    core.create_namespaced_resource_quota(
        namespace,
        k8s.V1ResourceQuota(
            metadata=k8s.V1ObjectMeta(name="q"), spec=k8s.V1ResourceQuotaSpec(hard={"pods": "1"})
        ),
    )
    wait_for(lambda: core.read_namespaced_resource_quota("q", namespace).status.hard, what="quota status")

    def pod(name):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}  # fmt: skip

    core.create_namespaced_pod(namespace, pod("one"))
    with pytest.raises(ApiException) as refused:
        core.create_namespaced_pod(namespace, pod("two"))
    assert refused.value.status == 403
    assert "exceeded quota" in refused.value.body


def test_kubectl_from_the_pinned_wheel_works_against_the_cluster(cluster):
    version = kubectl(cluster, "version", "-o", "json")
    assert '"gitVersion": "v1.37.2"' in version  # the server: built from the pinned release
    assert "node-000000" in kubectl(cluster, "get", "nodes")


def test_api_client_reads_the_admin_kubeconfig(cluster):
    with api_client(cluster.kubeconfig) as api:
        assert k8s.VersionApi(api).get_code().git_version == "v1.37.2"
