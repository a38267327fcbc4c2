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
import time

from support import choose_cluster, pct, provision_sandbox, start_broker, start_django

WORK = start_django("kubaeum-grading-bench-")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from labs.cluster.apply import apply_manifests  # noqa: E402
from labs.content import sync_labs  # noqa: E402
from labs.grading import services  # noqa: E402
from labs.grading.tasks import enqueue_grade  # noqa: E402
from labs.models import Lab, Submission  # noqa: E402
from labs.providers import get_provider  # noqa: E402
from labs.sandbox.services import session_api_client  # noqa: E402
from tests.worker_fixtures import WorkerProcess  # noqa: E402

LAB = "deployment-scaling"


def wait_done(pk, timeout=60.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        state = Submission.objects.values_list("state", flat=True).get(pk=pk)
        if state in ("done", "failed"):
            return state
        time.sleep(0.002)
    raise TimeoutError(f"submission {pk} not done after {timeout}s")


def ready_sandbox(student, lab):
    session = provision_sandbox(student, lab)
    with session_api_client(session) as api:
        apply_manifests(api, list(lab.spec.solution.manifests), namespace=session.namespace)
    deadline = time.monotonic() + 60
    while True:  # until the solution is in place (replicas ready), graded in-process
        from labs.grading.engine import grade
        from labs.grading.sources import LiveSource

        with session_api_client(session) as api:
            report = grade(lab.spec, LiveSource(api, session.namespace))
        failing = report.failing
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
    checks = len(lab.spec.checks)
    settings.LAB_NAMESPACE_PREFIX = f"gbench-{os.getpid()}-"
    started_cluster, _ = choose_cluster("grading-bench", WORK)
    redis, env = start_broker(WORK)
    student = User.objects.get_or_create(username="bench-student")[0]
    session, report = ready_sandbox(student, lab)
    print(f"lab: {LAB} ({checks} checks), sandbox score {report.score}/{report.max_score}")
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
                    user=student, lab=lab, session=session, max_score=lab.spec.max_score
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
