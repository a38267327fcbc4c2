"""The kind provider with the real kind CLI on real Docker: a cold create, an idempotent
retry, the warm pool, delete, and orphan collection by the reaper."""

import time

import pytest
import yaml
from kubernetes import client as k8s

from labs.cluster import api_client
from labs.models import Lab, LabSession
from labs.providers import get_provider
from labs.providers.kind import (
    CLUSTER_LABEL,
    _clusters,
    _docker,
    _prefix,
    free_pool,
    kind_name,
    node_image,
    refill_pool,
    workdir,
)
from labs.sandbox.reaper import collect_orphans

pytestmark = [pytest.mark.kind, pytest.mark.django_db]


@pytest.fixture
def container_lab(db):
    return Lab.objects.create(
        slug="real-pods", title="실제 컨테이너", scope="cluster", time_limit_minutes=60, containers=True
    )


@pytest.fixture
def kind_ready(kind_cluster):
    """Only where the shared kind fixture could run (Docker + node image)."""
    return kind_cluster


def node_is_ready(kubeconfig_path) -> bool:
    with api_client(kubeconfig_path) as api:
        nodes = k8s.CoreV1Api(api).list_node().items
    return bool(nodes) and all(
        c.status == "True" for n in nodes for c in n.status.conditions if c.type == "Ready"
    )


def test_a_cold_create_gives_a_ready_cluster_a_retry_reuses_it_and_the_reaper_collects_it(
    kind_ready, student, container_lab, settings
):
    settings.LAB_KIND_POOL_SIZE = 0
    provider = get_provider("kind")
    assert provider.available()[0]
    session = LabSession.objects.create(user=student, lab=container_lab, provider="kind")
    steps = []

    sandbox = provider.create(session, steps.append)
    name = kind_name(session)
    assert sandbox.cluster_name == name and steps == ["sandbox"]
    assert node_is_ready(workdir(name) / "kubeconfig")
    assert "failCgroupV1" in (workdir(name) / "kind-config.yaml").read_text() or _cgroup_v2()
    # The session gets the restricted student's token, never kind's admin certificate.
    assert "token:" in sandbox.kubeconfig and "client-certificate-data" not in sandbox.kubeconfig
    # A retried task reuses the cluster instead of making a second one.
    again = provider.create(session, steps.append)
    assert again.cluster_name == name and _server(again.kubeconfig) == _server(sandbox.kubeconfig)
    assert provider.sandboxes() == {session.pk: name}

    # The session ends without its cleanup running: the reaper finds the orphan and deletes it.
    LabSession.objects.filter(pk=session.pk).update(state="ended")
    assert collect_orphans() >= 1
    assert name not in _clusters()
    assert provider.sandboxes() == {}


def test_a_session_takes_a_warm_pool_cluster_at_once_and_destroy_deletes_it(
    kind_ready, student, container_lab, settings
):
    settings.LAB_KIND_POOL_SIZE = 1
    assert refill_pool() == 1
    pooled = free_pool()
    assert len(pooled) == 1
    settings.LAB_KIND_POOL_SIZE = 0  # no refill behind this test's back
    provider = get_provider("kind")
    session = LabSession.objects.create(user=student, lab=container_lab, provider="kind")

    started = time.monotonic()
    sandbox = provider.create(session, lambda step: None)
    took = time.monotonic() - started
    assert sandbox.cluster_name == pooled[0]
    assert took < 5, f"taking a pool cluster took {took:.1f} s"
    assert free_pool() == []
    assert provider.sandboxes() == {session.pk: pooled[0]}
    assert node_is_ready(workdir(pooled[0]) / "kubeconfig")

    provider.destroy(session)
    assert pooled[0] not in _clusters()
    assert provider.sandboxes() == {}


def test_a_refill_deletes_a_pool_cluster_an_earlier_refill_died_before_marking_ready(kind_ready, settings):
    # What a worker killed during `kind create cluster` leaves: a node container carrying
    # kind's cluster label, and no `ready` marker.
    name = f"{_prefix()}pool-left-by-a-dead-refill"
    done = _docker(
        "run", "-d", "--name", f"{name}-control-plane", "--label", f"{CLUSTER_LABEL}={name}",
        "--entrypoint", "sleep", node_image(), "600",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert name in _clusters()
    settings.LAB_KIND_POOL_SIZE = 0
    assert refill_pool() == 0
    assert name not in _clusters()


def _server(kubeconfig: str) -> str:
    return yaml.safe_load(kubeconfig)["clusters"][0]["cluster"]["server"]


def _cgroup_v2() -> bool:
    from labs.providers.kind import _cgroup_version

    return _cgroup_version() == "2"


def test_a_failed_kind_command_tells_the_student_what_failed_and_the_log_what_kind_said(kind_ready, caplog):
    from labs.providers import ProviderError
    from labs.providers.kind import delete_cluster

    # The real kind CLI on the real engine refuses a name no cluster can have; kind's own
    # words (which can name paths, the engine's socket, node addresses) stay in the log.
    with pytest.raises(ProviderError) as refused:
        delete_cluster("kubaeum-no-such/../cluster")
    message = str(refused.value)
    assert message.startswith("kind delete cluster 실패") and "워커 로그" in message
    assert "ERROR" not in message and "/" not in message
    assert "kind delete cluster failed" in caplog.text and "ERROR" in caplog.text
