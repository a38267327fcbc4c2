"""Local cluster figures: cold start (median of 3), resident memory of all its processes,
seconds to create 100 namespaces, seconds until a fresh 3-replica Deployment is ready.

    .venv/bin/python bench/cluster.py
Targets (issue 3): ready < 10 s, < 600 MB resident, 3-replica Deployment ready < 3 s.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubaeum.settings")

import django  # noqa: E402

django.setup()

from kubernetes import client as k8s  # noqa: E402

from labs.cluster import LocalCluster, api_client  # noqa: E402
from labs.cluster.apply import apply_manifests  # noqa: E402
from tests.k8s_helpers import deployment, wait_for  # noqa: E402


def main():
    workdir = Path(tempfile.mkdtemp(prefix="kubaeum-bench-"))
    starts = []
    for i in range(3):
        local = LocalCluster(f"bench-{i}", workdir=workdir)
        t0 = time.perf_counter()
        local.start()
        starts.append(time.perf_counter() - t0)
        if i < 2:
            local.stop()
    print(
        f"cold start to usable (median of 3): {statistics.median(starts):.2f} s  (runs: {', '.join(f'{s:.2f}' for s in starts)})"
    )
    time.sleep(3)  # let the control plane settle before reading its memory
    print(f"resident memory, all processes:    {local.resident_memory_bytes() / 1024 / 1024:.0f} MB")

    with api_client(local.kubeconfig) as api:
        core = k8s.CoreV1Api(api)
        t0 = time.perf_counter()
        for n in range(100):
            core.create_namespace(k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name=f"bench-{n:03d}")))
        print(f"create 100 namespaces:             {time.perf_counter() - t0:.2f} s")

        apps = k8s.AppsV1Api(api)
        t0 = time.perf_counter()
        apply_manifests(api, [deployment("web", replicas=3)], namespace="bench-000")
        wait_for(
            lambda: (apps.read_namespaced_deployment("web", "bench-000").status.available_replicas or 0) == 3,
            interval=0.02,
        )
        print(f"3-replica Deployment fully ready:  {time.perf_counter() - t0:.2f} s")
        print(f"resident memory after the load:    {local.resident_memory_bytes() / 1024 / 1024:.0f} MB")
    local.stop()


if __name__ == "__main__":
    main()
