"""kwok provider: a dedicated real control plane per session, cold and from the warm pool."""

import pytest
from kubernetes import client

from labs.cluster.local import pid_alive
from labs.models import Lab, LabSession
from labs.providers import get_provider, pick
from labs.providers import kwok as kwok_provider
from labs.sandbox.lifecycle import provision_session
from labs.sandbox.services import session_api_client

pytestmark = pytest.mark.cluster


@pytest.fixture
def cluster_lab(db):
    return Lab.objects.create(slug="cluster-admin-lab", title="노드와 클러스터", scope="cluster")


@pytest.fixture
def kwok_state(tmp_path, settings):
    settings.KUBAEUM_STATE_DIR = tmp_path / "state"
    settings.LAB_KWOK_NODES = 1
    yield
    provider = get_provider("kwok")
    for name in kwok_provider._names():
        provider.destroy_orphan(name)


def test_a_cluster_scoped_lab_gets_a_dedicated_kwok_cluster_with_admin_rights(
    kwok_state, student, cluster_lab
):
    assert pick(cluster_lab).name == "kwok"
    session = LabSession.objects.create(user=student, lab=cluster_lab, provider="kwok")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    assert session.namespace == ""
    with session_api_client(session) as api:
        core = client.CoreV1Api(api)
        assert len(core.list_node().items) == 1
        core.create_namespace({"metadata": {"name": "anything-goes"}})  # cluster-admin inside
    provider = get_provider("kwok")
    assert provider.sandboxes() == {session.pk: session.cluster_name}
    provider.destroy(session)
    assert provider.sandboxes() == {}
    assert not (kwok_provider.root() / "clusters" / session.cluster_name).exists()


def test_a_session_takes_a_ready_cluster_from_the_warm_pool(kwok_state, student, cluster_lab, settings):
    settings.LAB_KWOK_POOL_SIZE = 1
    assert kwok_provider.refill_pool() == 1
    [pooled] = kwok_provider.free_pool()
    settings.LAB_KWOK_POOL_SIZE = 0  # no refill during this test
    session = LabSession.objects.create(user=student, lab=cluster_lab, provider="kwok")
    assert provision_session(session.pk) == "ready"
    session.refresh_from_db()
    assert session.cluster_name == pooled
    assert kwok_provider.free_pool() == []
    with session_api_client(session) as api:
        assert client.CoreV1Api(api).list_namespace().items


def test_a_refill_removes_a_pool_cluster_an_earlier_refill_died_before_marking_ready(kwok_state):
    # What a worker killed between kwokctl's start and our `ready` marker leaves behind.
    half = kwok_provider._cluster("pool-left-by-a-dead-refill").start()
    pids = list(half.pids().values())
    assert pids and half.is_running()
    assert kwok_provider.refill_pool(size=0) == 0
    assert not half.dir.exists()
    assert not any(pid_alive(pid) for pid in pids)
    assert kwok_provider.free_pool() == []


def test_a_retry_after_a_half_started_cold_cluster_leaves_the_session_one_cluster(
    kwok_state, student, cluster_lab, settings
):
    session = LabSession.objects.create(user=student, lab=cluster_lab, provider="kwok")
    half_started = "kubaeum-half-started"
    assert kwok_provider._claim(half_started, session.pk)  # claimed, never marked ready
    settings.LAB_KWOK_POOL_SIZE = 1
    assert kwok_provider.refill_pool() == 1
    [pooled] = kwok_provider.free_pool()
    settings.LAB_KWOK_POOL_SIZE = 0
    assert provision_session(session.pk) == "ready"
    session.refresh_from_db()
    assert session.cluster_name == pooled
    assert kwok_provider._names() == [pooled]
    assert get_provider("kwok").sandboxes() == {session.pk: pooled}


@pytest.mark.worker
def test_the_warm_pool_is_refilled_in_the_background_by_a_task(
    kwok_state, lab_cluster, celery_worker_factory
):
    from labs.sandbox.tasks import refill_kwok_pool
    from tests.k8s_helpers import wait_for

    worker = celery_worker_factory(LAB_KWOK_POOL_SIZE=1, LAB_KWOK_NODES=1)
    assert kwok_provider.free_pool() == []
    refill_kwok_pool.apply_async()
    [name] = wait_for(kwok_provider.free_pool, 120, 0.5, "a warm pool cluster")
    assert name.startswith("pool-")
    worker.stop()
