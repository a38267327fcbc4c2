"""A real kind cluster for tests marked `kind`: real Docker, the real kind CLI and the node
image `make kind` built (containers/build.sh), created once per test run and deleted after.

Without a Docker engine or without the built node image these tests are skipped with the
reason (there is nothing to stand in for real containers); `make test` builds both first
whenever Docker can run.
"""

import os
import re
import time
import uuid

import pytest
from kubernetes import client as k8s

from labs.cluster import api_client
from labs.cluster.local import pid_alive
from labs.providers.kind import (
    _kind,
    create_cluster,
    delete_cluster,
    docker_host,
    kind_binary,
    node_image,
)


def kind_unavailable_reason() -> str:
    from labs.providers.kind import _docker

    if not docker_host() and not os.path.exists("/var/run/docker.sock"):
        return "응답하는 Docker 엔진이 없습니다 (make kind / containers/engine.sh up)"
    done = _docker("image", "inspect", node_image(), "--format", "{{.Id}}", timeout=15)
    if done.returncode != 0:
        return f"노드 이미지 {node_image()}가 없습니다 (make kind): {done.stderr.strip()[-200:]}"
    if not os.path.exists(kind_binary()):
        return f"kind CLI가 없습니다: {kind_binary()}"
    return ""


def delete_clusters_of_dead_runs() -> None:
    """Kind clusters whose test run is gone (killed, or its engine stopped before teardown):
    each idle node costs the rest of the suite CPU and memory. A run's clusters carry its
    LAB_INSTANCE, "t" + its pid in base 36 (kubaeum/test_settings.py)."""
    for name in _kind("get", "clusters").split():
        found = re.fullmatch(r"kubaeum-test-t([0-9a-z]{1,5})|kubaeum-t(?!est-)([0-9a-z]{1,5})-.+", name)
        if found and not pid_alive(int(found.group(1) or found.group(2), 36)):
            delete_cluster(name)


class KindCluster:
    def __init__(self, name: str, kubeconfig_text: str, kubeconfig_path):
        self.name = name
        self.kubeconfig_text = kubeconfig_text
        self.kubeconfig = kubeconfig_path


@pytest.fixture(scope="session")
def kind_cluster(private_state_dir, django_db_blocker):
    reason = kind_unavailable_reason()
    if reason:
        pytest.skip(reason)
    from django.conf import settings

    delete_clusters_of_dead_runs()
    # Not under the kind provider's own prefix (kubaeum-<instance>-): its orphan collection,
    # which the provider tests run, would take this cluster for an abandoned sandbox.
    name = f"kubaeum-test-{settings.LAB_INSTANCE}"
    started = time.monotonic()
    text = create_cluster(name)
    print(f"\nkind cluster {name} ready in {time.monotonic() - started:.1f} s")
    path = settings.KUBAEUM_STATE_DIR / "kind" / name / "kubeconfig"
    yield KindCluster(name, text, path)
    delete_cluster(name)


@pytest.fixture(scope="session")
def kind_api(kind_cluster):
    api = api_client(kind_cluster.kubeconfig)
    yield api
    api.close()


@pytest.fixture
def kind_namespace(kind_api):
    """A fresh namespace on the test kind cluster, deleted after the test."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    core = k8s.CoreV1Api(kind_api)
    core.create_namespace(k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name=name)))
    yield name
    core.delete_namespace(name)
