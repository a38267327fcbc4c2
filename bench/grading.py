"""Grading figures through the real Celery path (own Redis, real worker processes).

    .venv/bin/python bench/grading.py [--samples 100] [--burst 300]

A 6-check lab (deployment-scaling: exists, 3 field checks, deployment_ready, count) in a
real namespace sandbox with the reference solution applied. Prints:
- latency: request_grading → Redis → worker (pool=solo) → row `done`, measured by polling
  the row every 2 ms; median and p95 over --samples sequential gradings;
- throughput: --burst submissions queued at once, 2 worker processes (prefork, concurrency 2),
  gradings per second until the last row is done.
Targets (issue 5): p95 <= 300 ms, >= 30 gradings/s.
Uses the running shared local cluster if there is one, else starts one in a temp dir.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kubaeum-grading-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubaeum.settings")
os.environ["KUBAEUM_STATE_DIR"] = str(WORK / "state")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from labs.cluster import LocalCluster  # noqa: E402
from labs.cluster.access import SHARED_CLUSTER_NAME  # noqa: E402
from labs.cluster.apply import apply_manifests  # noqa: E402
from labs.content import sync_labs  # noqa: E402
from labs.grading import services  # noqa: E402
from labs.grading.engine import iter_checks  # noqa: E402
from labs.grading.tasks import enqueue_grade  # noqa: E402
from labs.models import Lab, LabSession, Submission  # noqa: E402
from labs.providers import get_provider  # noqa: E402
from labs.sandbox.lifecycle import provision_session  # noqa: E402
from labs.sandbox.services import session_api_client  # noqa: E402
from tests.servers import RedisServer  # noqa: E402
from tests.worker_fixtures import WorkerProcess, worker_env  # noqa: E402

LAB = "deployment-scaling"


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_done(pk, timeout=60.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        state = Submission.objects.values_list("state", flat=True).get(pk=pk)
        if state in ("done", "failed"):
            return state
        time.sleep(0.002)
    raise TimeoutError(f"submission {pk} not done after {timeout}s")


def ready_sandbox(student, lab):
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    with session_api_client(session) as api:
        apply_manifests(api, lab.definition["solution"]["manifests"], namespace=session.namespace)
    deadline = time.monotonic() + 60
    while True:  # until the solution is in place (replicas ready), graded in-process
        from labs.grading.engine import grade
        from labs.grading.sources import LiveSource

        with session_api_client(session) as api:
            report = grade(lab.definition, LiveSource(api, session.namespace))
        failing = [r["id"] for r in report["results"] if not r["passed"]]
        if failing == ["replicas", "ready", "pods"] or not failing or time.monotonic() > deadline:
            return session, report
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--burst", type=int, default=300)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    sync_labs(settings.CONTENT_DIR)
    lab = Lab.objects.get(slug=LAB)
    checks = sum(1 for _ in iter_checks(lab.definition))
    settings.LAB_NAMESPACE_PREFIX = f"gbench-{os.getpid()}-"
    shared = LocalCluster(SHARED_CLUSTER_NAME)
    started_cluster = None
    if settings.LAB_CLUSTER_KUBECONFIG:
        print(f"cluster: LAB_CLUSTER_KUBECONFIG={settings.LAB_CLUSTER_KUBECONFIG}")
    elif shared.is_running():
        settings.LAB_CLUSTER_KUBECONFIG = str(shared.kubeconfig)
        print("cluster: the running shared local cluster")
    else:
        started_cluster = LocalCluster("grading-bench", workdir=WORK / "cluster").start()
        settings.LAB_CLUSTER_KUBECONFIG = str(started_cluster.kubeconfig)
        print("cluster: a fresh local cluster for this run")

    redis = RedisServer(WORK)
    redis.start()
    settings.CELERY_BROKER_URL = redis.url
    from kubaeum.celery import app

    app.conf.broker_url = redis.url
    env = worker_env(redis.url)
    env.update(LAB_NAMESPACE_PREFIX=settings.LAB_NAMESPACE_PREFIX, LAB_KWOK_POOL_SIZE="0")
    student = User.objects.get_or_create(username="bench-student")[0]
    session, report = ready_sandbox(student, lab)
    print(f"lab: {LAB} ({checks} checks), sandbox score {report['score']}/{report['max_score']}")
    workers = []
    try:
        solo = WorkerProcess(env, WORK / "worker-solo.log", pool="solo")
        workers.append(solo)
        solo.start()
        for _ in range(5):  # warm-up: imports, first connections
            wait_done(services.request_grading(student, session).pk)
        latencies = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            submission = services.request_grading(student, session)
            assert wait_done(submission.pk) == "done", Submission.objects.get(pk=submission.pk).error
            latencies.append((time.perf_counter() - t0) * 1000)
        in_worker = list(
            Submission.objects.filter(state="done")
            .order_by("-id")[: args.samples]
            .values_list("duration_ms", flat=True)
        )
        print(
            f"latency, request → done ({args.samples} sequential, 1 solo worker): "
            f"median {statistics.median(latencies):.0f} ms, p95 {pct(latencies, 95):.0f} ms, max {max(latencies):.0f} ms"
        )
        print(
            f"  of which grading in the worker: median {statistics.median(in_worker):.0f} ms, p95 {pct(in_worker, 95):.0f} ms"
        )
        solo.stop()

        # Two worker processes: one prefork worker with two child processes.
        worker = WorkerProcess(env, WORK / "worker-prefork.log", pool="prefork", concurrency=2)
        workers.append(worker)
        worker.start()
        for _ in range(8):
            wait_done(services.request_grading(student, session).pk)
        t0 = time.perf_counter()
        with transaction.atomic():
            pks = []
            for _ in range(args.burst):
                row = Submission.objects.create(
                    user=student, lab=lab, session=session, max_score=lab.definition["max_score"]
                )
                enqueue_grade(row.pk)
                pks.append(row.pk)
        for pk in pks:
            wait_done(pk, timeout=300)
        elapsed = time.perf_counter() - t0
        done = Submission.objects.filter(pk__in=pks, state="done").count()
        print(
            f"throughput: {args.burst} gradings queued at once, 2 worker processes: "
            f"{elapsed:.2f} s → {args.burst / elapsed:.1f} gradings/s ({done}/{args.burst} done)"
        )
    finally:
        for worker in workers:
            worker.stop()
        get_provider("namespace").destroy(session)
        redis.stop()
        if started_cluster:
            started_cluster.stop()


if __name__ == "__main__":
    main()
