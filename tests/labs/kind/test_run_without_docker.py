"""`make run` on a machine where Docker cannot run: the engine script says so, the kind build
step is skipped, and the platform starts on kwok and says which in its banner."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.cluster


def test_without_docker_the_engine_script_says_kind_is_unavailable():
    env = {**os.environ, "KUBAEUM_NO_DOCKER": "1"}
    host = subprocess.run([REPO / "containers/engine.sh", "host"], env=env, capture_output=True, text=True)
    assert host.returncode == 1 and host.stdout == ""
    build = subprocess.run(
        [REPO / "containers/build.sh", "--if-docker"], env=env, capture_output=True, text=True, timeout=60
    )
    assert build.returncode == 0, build.stderr
    assert "Docker를 실행할 수 없어 kind(실제 컨테이너)를 쓸 수 없습니다. kwok로 계속합니다" in build.stderr
    assert "kwok serves" in build.stderr


def test_make_run_without_docker_serves_on_kwok_and_says_so(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "KUBAEUM_NO_DOCKER": "1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "KUBAEUM_STATE_DIR": str(tmp_path / "state"),
        "LAB_CLUSTER_KUBECONFIG": "",
        "KUBAEUM_LAB_CLUSTER_KUBECONFIG": "",
    }
    env.pop("LAB_SHARED_CLUSTER", None)
    log = tmp_path / "run.log"
    with log.open("w") as out:
        run = subprocess.Popen(
            [REPO / "scripts/run.sh"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while "멈추려면 Ctrl-C" not in log.read_text():
            assert run.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(1)
        text = log.read_text()
        assert "실습 클러스터: kwok (파드는 시뮬레이션, 컨테이너 없음)" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGINT)
            run.wait(timeout=120)
