"""`manage.py cluster up|status|kubeconfig|down` on its own state folder, with busy ports."""

import os
import socket
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from labs.cluster import LocalCluster
from labs.cluster.access import SHARED_CLUSTER_NAME

pytestmark = pytest.mark.cluster


def occupy(ports):
    """Listen on every free port of `ports` (where kwokctl looks first)."""
    held = []
    for port in ports:
        s = socket.socket()
        try:
            s.bind(("0.0.0.0", port))
            s.listen()
            held.append(s)
        except OSError:
            s.close()
    return held


def run(*args):
    out = StringIO()
    call_command("cluster", *args, stdout=out)
    return out.getvalue()


def test_cluster_up_status_kubeconfig_and_down_with_the_default_ports_busy(settings):
    settings.KUBAEUM_STATE_DIR = Path(tempfile.mkdtemp(prefix="kubaeum-cmd-"))
    held = occupy(range(32740, 32768))
    try:
        assert held, "could not occupy any of the default ports"
        busy = {s.getsockname()[1] for s in held}
        out = run("up")
        assert "준비됨" in out
        local = LocalCluster(SHARED_CLUSTER_NAME)
        port = int(local.server.rsplit(":", 1)[1])
        assert port not in busy

        status = run("status")
        for component in (
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kwok-controller",
        ):
            assert component in status
        assert "비정상" not in status and "중지됨" not in status
        assert run("kubeconfig").strip() == str(local.kubeconfig)
        assert "이미 실행 중" in run("up")  # a second `up` reuses the running cluster

        pids = list(local.pids().values())
        assert len(pids) == 5
        # A dedicated lab cluster (as the kwok provider keeps them) is stopped by --all too.
        sandbox = LocalCluster(
            "pool-test", workdir=settings.KUBAEUM_STATE_DIR / "kwok-sandboxes" / "abc", nodes=0
        )
        sandbox.start()
        pids += list(sandbox.pids().values())
        assert len(pids) == 10
        out = run("down", "--all")
        assert "pool-test" in out
        for pid in pids:
            assert (
                not Path(f"/proc/{pid}").exists() or "Z" == Path(f"/proc/{pid}/stat").read_text().split()[2]
            )
        assert not local.dir.exists() and not sandbox.dir.exists()
        with pytest.raises(CommandError, match="실행 중이 아닙니다"):
            run("kubeconfig")
    finally:
        for s in held:
            s.close()
        LocalCluster(SHARED_CLUSTER_NAME).stop()


def test_cluster_status_says_when_it_is_not_running(settings):
    settings.KUBAEUM_STATE_DIR = Path(tempfile.mkdtemp(prefix="kubaeum-cmd-"))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("cluster", "status", stdout=out)
    assert exit_code.value.code == 3
    assert "실행 중이 아닙니다" in out.getvalue()
    assert os.listdir(settings.KUBAEUM_STATE_DIR) == []
