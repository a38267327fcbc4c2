"""kind figures on this machine (real Docker, the node image from `make kind`), side by side.

    .venv/bin/python bench/kind.py [--cold 3] [--fit 10]

Prints: kind cluster cold create to Ready (median of --cold), a session taking a cluster
from the warm pool, memory per kind cluster (its node container's working set, as `docker
stats` shows it, and the summed RSS of its processes), how many kind clusters run at once with each still usable (up to
--fit: each one's API answers and runs a real pod to Ready), and pod start to Ready with a
real container (kind) vs a simulated one (kwok).
Targets (issue 14): cold <= 30 s; warm pool <= 1 s; <= 700 MB per cluster; >= 10 usable.
"""

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from support import start_django

WORK = start_django("kubaeum-kind-bench-")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from kubernetes import client as k8s  # noqa: E402

from labs.cluster import LocalCluster, api_client  # noqa: E402
from labs.models import Lab, LabSession  # noqa: E402
from labs.providers import get_provider  # noqa: E402
from labs.providers import kind as kind_provider  # noqa: E402


def pod_to_ready(kubeconfig, image, name) -> float:
    """Seconds from creating a pod to its Ready condition (real or simulated)."""
    with api_client(kubeconfig) as api:
        core = k8s.CoreV1Api(api)
        body = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name},
            "spec": {
                "terminationGracePeriodSeconds": 1,
                "containers": [
                    {
                        "name": "web",
                        "image": image,
                        "imagePullPolicy": "IfNotPresent",
                        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 1},
                    }
                ],
                "tolerations": [{"operator": "Exists"}],
            },
        }
        t0 = time.perf_counter()
        core.create_namespaced_pod("default", body)
        deadline = t0 + 180
        while time.perf_counter() < deadline:
            status = core.read_namespaced_pod(name, "default").status
            if any(c.type == "Ready" and c.status == "True" for c in status.conditions or []):
                return time.perf_counter() - t0
            time.sleep(0.05)
    raise TimeoutError(f"pod {name} not Ready in 180 s")


def rss_mb(cluster_name) -> float:
    node = f"{cluster_name}-control-plane"
    done = kind_provider._docker("top", node, "-eo", "pid,rss")
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    rows = [line.split() for line in done.stdout.splitlines()[1:]]
    return sum(int(row[1]) for row in rows if len(row) == 2 and row[1].isdigit()) / 1024


def working_set_mb(cluster_name) -> float:
    """The node container's memory as `docker stats` reports it: the cgroup's usage without
    reclaimable page cache. Unlike summed RSS, it does not count again the program code every
    kind node maps from the same image layer, so it is what one more cluster costs."""
    node = f"{cluster_name}-control-plane"
    done = kind_provider._docker("stats", "--no-stream", "--format", "{{.MemUsage}}", node)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    used = done.stdout.split("/")[0].strip()
    for unit, factor in (("GiB", 1024), ("MiB", 1), ("KiB", 1 / 1024), ("B", 1 / 1024 / 1024)):
        if used.endswith(unit):
            return float(used.removesuffix(unit)) * factor
    raise RuntimeError(f"unexpected docker stats output: {done.stdout!r}")


def usable(name) -> bool:
    try:
        path = kind_provider.workdir(name) / "kubeconfig"
        pod_to_ready(path, "kubaeum/web:1.0", f"probe-{int(time.time() * 1000) % 100000}")
        return True
    except Exception as e:  # noqa: BLE001 - a figure, not a test: report and go on
        print(f"  {name}: not usable: {e}", file=sys.stderr)
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--fit", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.LAB_KIND_POOL_SIZE = 0
    ok, detail = get_provider("kind").available()
    if not ok:
        sys.exit(f"kind is not available here: {detail}")
    prefix = kind_provider._prefix()
    made = []
    try:
        # 1. cold create to Ready (kind create cluster --wait: the node is Ready)
        cold = []
        for i in range(args.cold):
            name = f"{prefix}bench-{i}"
            t0 = time.perf_counter()
            kind_provider.create_cluster(name)
            cold.append(time.perf_counter() - t0)
            made.append(name)
            print(f"  cold create {i + 1}: {cold[-1]:.1f} s", file=sys.stderr)

        # 2. warm pool: a pool cluster exists; a session takes it
        settings.LAB_KIND_POOL_SIZE = 1
        kind_provider.refill_pool()
        settings.LAB_KIND_POOL_SIZE = 0
        made += kind_provider.free_pool()
        student = User.objects.create(username="bench")
        lab = Lab.objects.create(slug="bench-kind", title="bench", scope="cluster", containers=True)
        session = LabSession.objects.create(user=student, lab=lab, provider="kind")
        t0 = time.perf_counter()
        sandbox = get_provider("kind").create(session, lambda step: None)
        warm = time.perf_counter() - t0
        print(f"  warm pool: {warm:.2f} s", file=sys.stderr)

        # 3. memory per cluster, after a real pod ran on each
        real_pod = pod_to_ready(kind_provider.workdir(made[0]) / "kubeconfig", "kubaeum/web:1.0", "bench-web")
        memory = [rss_mb(n) for n in made]
        working = [working_set_mb(n) for n in made]
        print(
            f"  real pod to Ready {real_pod:.2f} s; per cluster: summed RSS {memory} MB, "
            f"working set {working} MB",
            file=sys.stderr,
        )

        # 4. how many fit, each usable
        more = [f"{prefix}fit-{i}" for i in range(max(0, args.fit - len(made)))]
        with ThreadPoolExecutor(max_workers=2) as pool:
            for name, error in zip(more, pool.map(_try_create, more), strict=True):
                if error:
                    print(f"  {name}: create failed: {error}", file=sys.stderr)
                else:
                    made.append(name)
        fit = sum(1 for name in made if usable(name))
        working_all = [working_set_mb(n) for n in made]

        # 5. pod start to Ready: kwok (simulated) on the local cluster
        local = LocalCluster("bench-kwok", workdir=WORK / "kwok")
        local.start()
        try:
            kwok_pod = pod_to_ready(local.kubeconfig, "kubaeum/web:1.0", "bench-web")
        finally:
            local.stop()
    finally:
        for name in made:
            try:
                kind_provider.delete_cluster(name)
            except Exception as e:  # noqa: BLE001
                print(f"  could not delete {name}: {e}", file=sys.stderr)

    print(
        f"kind cold create to Ready (median of {len(cold)}): {statistics.median(cold):.1f} s   [target <= 30 s]"
    )
    print(f"kind from the warm pool ({sandbox.cluster_name}):     {warm:.2f} s   [target <= 1 s]")
    print(
        f"memory per kind cluster (working set):  {statistics.median(working):.0f} MB median, "
        f"{max(working):.0f} MB max; {statistics.median(working_all):.0f} MB median with "
        f"{len(made)} running   [target <= 700 MB]"
    )
    print(
        f"  summed RSS of the node's processes:   {statistics.median(memory):.0f} MB median "
        "(counts again the code pages all nodes share)"
    )
    print(f"kind clusters running at once, usable:  {fit} of {len(made)} tried   [target >= 10]")
    print(f"pod start to Ready, real container:     {real_pod:.2f} s (kind)")
    print(f"pod start to Ready, simulated:          {kwok_pod:.2f} s (kwok)")


def _try_create(name):
    try:
        kind_provider.create_cluster(name)
        return ""
    except Exception as e:  # noqa: BLE001
        return str(e)[-300:]


if __name__ == "__main__":
    main()
