"""Sandbox figures through the real Celery path (own Redis, real worker processes).

    .venv/bin/python bench/sandboxes.py [--samples 20] [--concurrent 200] [--workers 4] [--kwok 3]

Prints: namespace provider time from "실습 시작" (HTTP POST) to ready, median and p95;
kwok provider cold and from the warm pool; 200 concurrent namespace sessions: time
until all ready, control-plane resident memory before/after, and whether every session
is usable (its own token lists pods in its namespace), then time to end them all.
Uses the running shared local cluster if there is one, else starts one in a temp dir.
Targets (issue 4): namespace p95 <= 1 s; kwok from pool <= 0.5 s; 200 sessions usable.
"""

import argparse
import os
import shutil
import statistics
import time

from support import choose_cluster, pct, start_broker, start_django

WORK = start_django("kubaeum-sandbox-bench-")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from kubernetes import client as k8s  # noqa: E402

from labs.models import Lab, LabSession  # noqa: E402
from labs.providers import kwok as kwok_provider  # noqa: E402
from labs.sandbox import services  # noqa: E402
from tests.worker_fixtures import WorkerProcess  # noqa: E402


def wait_state(pk, states=("ready", "failed"), timeout=120.0, interval=0.005):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        state = LabSession.objects.values_list("state", flat=True).get(pk=pk)
        if state in states:
            return state
        time.sleep(interval)
    raise TimeoutError(f"session {pk} not in {states} after {timeout}s")


def user(i):
    return User.objects.get_or_create(username=f"bench-{i}")[0]


def http_start(lab, student) -> tuple[float, int]:
    web = Client()
    web.force_login(student)
    t0 = time.perf_counter()
    response = web.post(f"/labs/{lab.slug}/session/start/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content[:300]
    pk = LabSession.objects.filter(user=student, lab=lab).values_list("pk", flat=True).first()
    assert pk is not None, "the start request made no session"
    state = wait_state(pk)
    elapsed = time.perf_counter() - t0
    assert state == "ready", LabSession.objects.get(pk=pk).failure_reason
    return elapsed, pk


def end_all(pks, timeout=300):
    t0 = time.perf_counter()
    for session in LabSession.objects.filter(pk__in=pks, state="ready"):
        services.end_session(session, "벤치마크 종료")
    for pk in pks:
        wait_state(pk, ("ended", "failed"), timeout=timeout, interval=0.05)
    return time.perf_counter() - t0


def report(name, values):
    print(
        f"{name}: n={len(values)} median {statistics.median(values) * 1000:.0f} ms, "
        f"p95 {pct(values, 95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kwok", type=int, default=3, help="kwok samples (cold and pool); 0 to skip")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (worker log, database)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    settings.LAB_NAMESPACE_PREFIX = f"bench-{os.getpid()}-"
    settings.LAB_MAX_SESSIONS_PER_STUDENT = 5
    settings.LAB_CAPACITY = {**settings.LAB_CAPACITY, "namespace": args.concurrent + args.samples + 10}
    started_cluster, shared = choose_cluster("sandbox-bench", WORK)
    measured = started_cluster or (shared if shared.is_running() else None)

    redis, env = start_broker(WORK)
    env.update(
        LAB_KWOK_NODES="1",
        LAB_CAPACITY_NAMESPACE=str(settings.LAB_CAPACITY["namespace"]),
    )
    worker = WorkerProcess(env, WORK / "worker.log", pool="prefork", concurrency=args.workers)
    worker.start()
    try:
        lab = Lab.objects.create(slug="bench-lab", title="벤치마크", scope="namespace", definition={})
        # Warm-up (first connections, imports in each worker child) is not measured.
        warm = [http_start(lab, user(f"warm{i}"))[1] for i in range(args.workers)]
        end_all(warm)

        times, pks = [], []
        for i in range(args.samples):
            elapsed, pk = http_start(lab, user(i))
            times.append(elapsed)
            pks.append(pk)
        report("namespace provider, 실습 시작 → ready (HTTP POST, sequential)", times)
        end_all(pks)

        if args.kwok:
            bench_kwok(args.kwok, worker)

        print(f"\n{args.concurrent} concurrent namespace sessions:")
        rss_before = measured.resident_memory_bytes() if measured else 0
        users = [user(f"c{i}") for i in range(args.concurrent)]
        t0 = time.perf_counter()
        sessions = [services.start_session(u, lab) for u in users]
        queued = time.perf_counter() - t0
        states = [wait_state(s.pk, timeout=600, interval=0.05) for s in sessions]
        all_ready = time.perf_counter() - t0
        print(
            f"  requests queued in {queued:.2f} s; all {states.count('ready')}/{len(states)} ready after {all_ready:.2f} s"
        )
        usable = 0
        for s in LabSession.objects.filter(pk__in=[s.pk for s in sessions]):
            try:
                with services.session_api_client(s) as api:
                    k8s.CoreV1Api(api).list_namespaced_pod(s.namespace, _request_timeout=10)
                usable += 1
            except Exception as e:
                print(f"  session {s.pk} not usable: {e}")
        print(f"  usable (own token lists pods in own namespace): {usable}/{len(sessions)}")
        if measured:
            time.sleep(2)
            rss_after = measured.resident_memory_bytes()
            print(
                f"  control-plane RSS: {rss_before / 2**20:.0f} MB before, {rss_after / 2**20:.0f} MB with {len(sessions)} sessions"
            )
        else:
            print("  control-plane RSS: n/a (external cluster)")
        print(
            f"  ending all {len(sessions)} (namespaces deleted): {end_all([s.pk for s in sessions], timeout=600):.2f} s"
        )
    finally:
        worker.stop()
        redis.stop()
        if started_cluster:
            started_cluster.stop()
        if args.keep:
            print(f"files (logs, database) kept in {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)


def bench_kwok(samples, worker):
    lab = Lab.objects.create(
        slug="bench-cluster-lab", title="클러스터 벤치마크", scope="cluster", definition={}
    )
    settings.LAB_KWOK_NODES = 1
    cold = []
    for i in range(samples):
        elapsed, pk = http_start(lab, user(f"k{i}"))
        cold.append(elapsed)
        end_all([pk], timeout=120)
    report("kwok provider, cold (a new cluster per session)", cold)
    pooled = []
    settings.LAB_KWOK_POOL_SIZE = 1
    for i in range(samples):
        for _ in range(3):  # what the background task does between students
            kwok_provider.refill_pool()
            if kwok_provider.free_pool():
                break
        if not kwok_provider.free_pool():
            print("  (the pool could not be refilled: this sample is a cold start)")
        elapsed, pk = http_start(lab, user(f"p{i}"))
        pooled.append(elapsed)
        end_all([pk], timeout=120)
    settings.LAB_KWOK_POOL_SIZE = 0
    report("kwok provider, from the warm pool", pooled)


if __name__ == "__main__":
    main()
