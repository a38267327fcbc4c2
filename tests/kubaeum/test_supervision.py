"""`make run`'s processes under supervisord (scripts/supervisord.conf, the file run.sh
starts): each one killed with SIGKILL comes back by itself, and the site answers again."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.k8s_helpers import wait_for
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# It starts real Celery workers (and everything else make run starts): not a fast test.
pytestmark = pytest.mark.worker
PROGRAMS = ["redis", "cluster-watch", "worker", "console-worker", "beat", "web"]


@pytest.fixture
def supervised(tmp_path):
    port, redis_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAB_", "KUBAEUM_LAB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kubaeum.settings",
        RUN_DIR=str(tmp_path / "var"),
        PORT=str(port),
        REDIS_PORT=str(redis_port),
        RUN_REDIS="true",
        KUBAEUM_STATE_DIR=str(tmp_path / "state"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
        # This run's instance ("t" + pid): the warm-pool kind clusters its worker makes are
        # then named for it, and a later run collects them should this one be killed.
        LAB_INSTANCE=settings.LAB_INSTANCE,
    )
    (tmp_path / "var" / "log").mkdir(parents=True)
    subprocess.run(
        [BIN / "python", "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    proc = subprocess.Popen(
        [BIN / "supervisord", "-c", "scripts/supervisord.conf"], cwd=ROOT, env=env, start_new_session=True
    )

    def ctl(*args) -> str:
        done = subprocess.run([BIN / "supervisorctl", "-c", "scripts/supervisord.conf", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        return done.stdout

    def hello() -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/hello/", timeout=10).status == 200
        except OSError:
            return False

    try:
        # As run.sh: supervisord brings Redis up at once; the rest start once the database,
        # content and cluster are ready.
        wait_for(lambda: "RUNNING" in ctl("status", "redis"), 30, 0.2, "supervisord and Redis")
        ctl("start", "cluster-watch", "worker", "console-worker", "beat", "web")
        yield ctl, hello
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        # As run.sh's cleanup: the worker's warm-pool clusters (kwok, and kind where Docker
        # runs) run detached from supervisord, and would outlive the test.
        subprocess.run(
            [BIN / "python", "manage.py", "cluster", "down", "--all"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )


def running_pid(ctl, name) -> int:
    line = next((line for line in ctl("status").splitlines() if line.startswith(name + " ")), "")
    if " RUNNING " not in line:
        return 0
    return int(line.split("pid ")[1].split(",")[0])


def test_every_process_of_make_run_is_restarted_after_a_kill(supervised):
    ctl, hello = supervised
    for name in PROGRAMS:
        wait_for(lambda n=name: running_pid(ctl, n), 90, 0.5, f"{name} running")
    wait_for(hello, 60, 0.5, "the web server answering")
    for name in PROGRAMS:
        old = running_pid(ctl, name)
        os.kill(old, signal.SIGKILL)
        killed = time.monotonic()
        new = wait_for(
            lambda n=name, o=old: (p := running_pid(ctl, n)) and p != o and p, 60, 0.3, f"{name} back"
        )
        print(f"\n{name}: pid {old} killed, pid {new} running after {time.monotonic() - killed:.1f} s")
    wait_for(hello, 120, 0.5, "the web server answering after its restart")
    log = ctl("status")
    assert all(f"{name} " in log and "RUNNING" in log for name in PROGRAMS), log
