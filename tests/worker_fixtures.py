"""A REAL Celery worker process for tests: `celery -A kubaeum worker` in a subprocess.

It shares the test database (the per-process SQLite file) and the test Redis, and sees
the test cluster's kubeconfig. Tests that use it need `transactional_db` (the worker
must see committed rows). GRADING and WORKSPACE tests reuse `celery_worker_proc`.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(self, env: dict, logfile: Path, pool: str = "solo", concurrency: int = 1, queues: str = ""):
        self.env, self.logfile, self.pool, self.concurrency = env, logfile, pool, concurrency
        self.queues = queues  # empty: Celery's default queue
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        offset = self.logfile.stat().st_size if self.logfile.exists() else 0
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kubaeum",
            "worker",
            "--loglevel=INFO",
            f"--pool={self.pool}",
        ]
        cmd += [
            f"--concurrency={self.concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if self.queues:
            cmd += ["-Q", self.queues]
        cmd += ["-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h"]
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logfile, "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited ({self.proc.returncode}):\n{self.log()[-3000:]}")
            if b" ready." in self.logfile.read_bytes()[offset:]:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"celery worker did not become ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole worker process group (no warm shutdown, like a crashed host)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_env(broker_url: str) -> dict:
    from labs.sandbox import identity

    env = os.environ.copy()
    kubeconfig = str(getattr(settings, "LAB_CLUSTER_KUBECONFIG", "") or "")
    env.update(
        DJANGO_SETTINGS_MODULE="kubaeum.test_settings",
        DATABASE_URL=f"sqlite:///{connection.settings_dict['NAME']}",
        CELERY_BROKER_URL=broker_url,
        REDIS_URL=broker_url,
        SECRET_KEY=settings.SECRET_KEY,
        LAB_CREDENTIALS_KEY=settings.LAB_CREDENTIALS_KEY,
        LAB_CLUSTER_KUBECONFIG=kubeconfig,
        KUBAEUM_LAB_CLUSTER_KUBECONFIG=kubeconfig,
        KUBAEUM_STATE_DIR=str(settings.KUBAEUM_STATE_DIR),
        LAB_NAMESPACE_PREFIX=settings.LAB_NAMESPACE_PREFIX,
        LAB_CLUSTER_PREFIX=settings.LAB_CLUSTER_PREFIX,
        LAB_INSTANCE=identity.instance_id(),
        # No warm kwok pool in tests (each pool cluster is a whole control plane) unless
        # a test asks for one with extra_env.
        LAB_KWOK_POOL_SIZE="0",
        LAB_KIND_POOL_SIZE="0",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def celery_worker_factory(transactional_db, redis_url, tmp_path):
    """Start workers with custom env (e.g. fault injection); all are stopped after the test."""
    started: list[WorkerProcess] = []

    def make(
        pool: str = "solo", concurrency: int = 1, start: bool = True, queues: str = "", **extra_env
    ) -> WorkerProcess:
        env = worker_env(redis_url)
        env.update({k: str(v) for k, v in extra_env.items()})
        worker = WorkerProcess(env, tmp_path / f"celery-{len(started)}.log", pool, concurrency, queues)
        started.append(worker)
        if start:
            worker.start()
        return worker

    yield make
    for worker in started:
        worker.stop()


@pytest.fixture
def celery_worker_proc(celery_worker_factory):
    """One running worker (pool=solo) on the test Redis and the test database."""
    return celery_worker_factory()


@pytest.fixture
def console_worker_proc(celery_worker_factory):
    """The console's own worker (`-Q console`, threads), as `make run` starts it."""
    return celery_worker_factory(pool="threads", concurrency=4, queues="console")


@pytest.fixture
def gunicorn_factory(transactional_db, redis_url, tmp_path):
    """Start the real web server on the test database and the test Redis; stopped after the test."""
    from tests.servers import GunicornServer

    started = []

    def make(workers: int = 1, threads: int = 2, **extra_env) -> GunicornServer:
        env = worker_env(redis_url)
        env.update({k: str(v) for k, v in extra_env.items()})
        server = GunicornServer(env, tmp_path / f"gunicorn-{len(started)}.log", workers, threads)
        started.append(server)
        return server.start()

    yield make
    for server in started:
        server.stop()
