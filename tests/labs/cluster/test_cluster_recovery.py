"""A dead kube-apiserver or etcd under live sessions: `cluster watch` restarts it on the same
data and certificates, and every session works again within a minute; `cluster up` resumes
a stopped cluster instead of wiping it; the reaper ends sessions whose sandbox is really gone.

This test runs its own local cluster (the platform's default one, in a private state
folder) so that killing its components disturbs no other test.
"""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from kubernetes import client

from labs.cluster import LocalCluster
from labs.cluster.access import SHARED_CLUSTER_NAME
from labs.models import Lab, LabSession
from labs.sandbox.health import NAMESPACE_GONE_REASON
from labs.sandbox.lifecycle import provision_session
from labs.sandbox.reaper import reap
from labs.sandbox.services import session_api_client
from tests.k8s_helpers import wait_for

pytestmark = pytest.mark.cluster
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def platform_cluster(tmp_path, settings, unique_sandbox_names):
    unique_sandbox_names("rec")
    settings.KUBAEUM_STATE_DIR = tmp_path
    settings.LAB_CLUSTER_KUBECONFIG = ""  # the platform's own local cluster, as under make run
    call_command("cluster", "up", "--nodes", "1", stdout=StringIO())
    local = LocalCluster(SHARED_CLUSTER_NAME, nodes=1)
    yield local
    local.stop()


@pytest.fixture
def watch(platform_cluster, tmp_path):
    env = {**os.environ, "KUBAEUM_STATE_DIR": str(tmp_path), "LAB_CLUSTER_KUBECONFIG": "",
           "KUBAEUM_LAB_CLUSTER_KUBECONFIG": "", "LAB_KWOK_POOL_SIZE": "0"}  # fmt: skip
    log = open(tmp_path / "watch.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "cluster", "watch", "--interval", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    yield tmp_path / "watch.log"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)


@pytest.fixture
def sessions(platform_cluster, student, other_student, instructor):
    lab = Lab.objects.create(slug="recovery", title="복구", definition={})
    made = []
    for user in (student, other_student, instructor):
        session = LabSession.objects.create(user=user, lab=lab, provider="namespace")
        assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
        session.refresh_from_db()
        made.append(session)
    return made


def works(session) -> bool:
    try:
        with session_api_client(session) as api:
            core = client.CoreV1Api(api)
            core.create_namespaced_config_map(
                session.namespace, {"metadata": {"generateName": "alive-"}}, _request_timeout=3
            )
            return True
    except Exception:
        return False


def kill(cluster, component) -> None:
    os.kill(cluster.pids()[component], signal.SIGKILL)


@pytest.mark.parametrize("component", ["kube-apiserver", "etcd"])
def test_every_session_works_again_within_a_minute_after_a_component_is_killed(
    platform_cluster, watch, sessions, component
):
    ca = (platform_cluster.dir / "pki" / "ca.crt").read_bytes()
    assert all(works(s) for s in sessions)
    old_pid = platform_cluster.pids()[component]
    kill(platform_cluster, component)
    killed = time.monotonic()
    wait_for(
        lambda: all(works(s) for s in sessions), 60, 0.5, f"every session to work after {component} died"
    )
    print(
        f"\n{component} killed: all {len(sessions)} sessions working again after {time.monotonic() - killed:.1f} s"
    )
    assert (platform_cluster.dir / "pki" / "ca.crt").read_bytes() == ca  # same certificates, same tokens
    assert platform_cluster.pids()[component] != old_pid  # restarted by the watch, not revived
    for session in sessions:
        assert LabSession.objects.get(pk=session.pk).state == "ready"


def test_cluster_up_resumes_a_stopped_cluster_with_its_data_instead_of_wiping_it(platform_cluster, sessions):
    ca = (platform_cluster.dir / "pki" / "ca.crt").read_bytes()
    for pid in platform_cluster.pids().values():
        os.kill(pid, signal.SIGKILL)  # a host crash: every process gone at once
    wait_for(lambda: not any(c.running for c in platform_cluster.status()), 10, 0.1, "every process to die")
    call_command("cluster", "up", "--nodes", "1", stdout=StringIO())
    assert (platform_cluster.dir / "pki" / "ca.crt").read_bytes() == ca
    assert all(works(s) for s in sessions)


def test_the_reaper_ends_a_session_whose_namespace_is_really_gone(
    platform_cluster, sessions, django_capture_on_commit_callbacks, settings
):
    from labs.cluster import api_client

    gone, *kept = sessions
    with api_client(platform_cluster.kubeconfig) as admin:
        client.CoreV1Api(admin).delete_namespace(gone.namespace)
    LabSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
        ready_at=gone.ready_at.replace(year=gone.ready_at.year - 1)
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = wait_for(lambda: reap()["gone"], 30, 1, "the reaper to notice")
    assert report == 1
    gone.refresh_from_db()
    assert (gone.state, gone.end_reason) == ("ending", NAMESPACE_GONE_REASON)
    assert all(LabSession.objects.get(pk=s.pk).state == "ready" for s in kept)


def test_a_session_is_not_ended_while_the_api_server_is_down(
    platform_cluster, sessions, django_capture_on_commit_callbacks
):
    LabSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
        ready_at=sessions[0].ready_at.replace(year=sessions[0].ready_at.year - 1)
    )
    kill(platform_cluster, "kube-apiserver")
    with django_capture_on_commit_callbacks(execute=False):
        assert reap()["gone"] == 0
    assert all(LabSession.objects.get(pk=s.pk).state == "ready" for s in sessions)
