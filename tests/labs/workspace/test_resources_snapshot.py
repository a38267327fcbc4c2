"""The snapshot behind the resource view, for a cluster-scope sandbox (every namespace but kube-*)."""

import pytest
from kubernetes import client as k8s

from labs.console.resources import snapshot

pytestmark = pytest.mark.cluster


def test_cluster_scope_snapshot_names_namespaces_and_skips_system_ones(admin_api, namespace):
    apps = k8s.AppsV1Api(admin_api)
    apps.create_namespaced_deployment(
        namespace,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "team-web"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "team-web"}},
                "template": {
                    "metadata": {"labels": {"app": "team-web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                },
            },
        },
    )
    k8s.CoreV1Api(admin_api).create_namespaced_secret(
        namespace, {"metadata": {"name": "team-token"}, "stringData": {"token": "do-not-show-me"}}
    )
    snap = snapshot(admin_api, None)
    assert f"{namespace}/team-web" in [d["name"] for d in snap["deployments"]]
    assert f"{namespace}/team-token" in snap["secrets"]
    assert "do-not-show-me" not in repr(snap)
    every_name = repr(snap)
    assert "kube-system/" not in every_name and "kube-public/" not in every_name


def test_namespace_snapshot_shows_bare_names_only_from_that_namespace(admin_api, namespace):
    k8s.CoreV1Api(admin_api).create_namespaced_config_map(namespace, {"metadata": {"name": "settings"}})
    snap = snapshot(admin_api, namespace)
    assert snap["configmaps"] == ["settings"]
    assert snap["services"] == [] and snap["deployments"] == []
