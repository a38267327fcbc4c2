"""The real local Kubernetes cluster, started once per test run.

`cluster` is session-scoped: the suite pays the start-up (about 5 s) once. Tests that
need isolation take `namespace`, a fresh namespace deleted afterwards.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from kubernetes import client as k8s

from labs.cluster import ClusterError, LocalCluster, api_client
from tests.settings_helpers import set_for_the_whole_run


def stop_clusters_of_dead_runs() -> None:
    """A killed test run never reaches its teardown: stop what it left behind."""
    for cluster_dir in Path(tempfile.gettempdir()).glob("kubaeum-k8s-*/clusters/test-*"):
        pid = cluster_dir.name.removeprefix("test-")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            LocalCluster(cluster_dir.name, workdir=cluster_dir.parent.parent).stop()
            shutil.rmtree(cluster_dir.parent.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster_binaries():
    """The built control-plane binaries; a test that needs them without a running cluster
    takes this fixture, which also marks it `cluster` (tests/conftest.py)."""
    from labs.cluster.binaries import binaries_dir

    return binaries_dir()


@pytest.fixture(scope="session")
def cluster(cluster_binaries):
    stop_clusters_of_dead_runs()
    # A short path outside the repo: the whole cluster (etcd data, certificates, logs)
    # lives here and goes away with the run.
    workdir = Path(tempfile.mkdtemp(prefix="kubaeum-k8s-"))
    local = LocalCluster(f"test-{os.getpid()}", workdir=workdir)
    try:
        local.start()
    except ClusterError:
        # On a machine saturated by other work a first start can time out; a clean
        # second attempt is cheaper than failing the whole run.
        local.stop()
        try:
            local.start(timeout=180)
        except BaseException:
            local.stop()  # never leave a half-started control plane running
            raise
    previous = settings.LAB_CLUSTER_KUBECONFIG
    set_for_the_whole_run("LAB_CLUSTER_KUBECONFIG", str(local.kubeconfig))
    os.environ["LAB_CLUSTER_KUBECONFIG"] = str(local.kubeconfig)
    os.environ["KUBAEUM_LAB_CLUSTER_KUBECONFIG"] = str(local.kubeconfig)
    yield local
    set_for_the_whole_run("LAB_CLUSTER_KUBECONFIG", previous)
    os.environ.pop("LAB_CLUSTER_KUBECONFIG", None)
    os.environ.pop("KUBAEUM_LAB_CLUSTER_KUBECONFIG", None)
    local.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def admin_api(cluster):
    api = api_client(cluster.kubeconfig)
    yield api
    api.close()


@pytest.fixture
def namespace(admin_api):
    """A fresh namespace on the shared test cluster, deleted after the test."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    core = k8s.CoreV1Api(admin_api)
    core.create_namespace(
        k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name=name, labels={"kubaeum.io/test": "1"}))
    )
    yield name
    core.delete_namespace(name)
