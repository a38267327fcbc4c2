"""Workspace figures: how long the browser waits for the console, the editor and the resource view.

    .venv/bin/python bench/workspace.py [--samples 30]

A real namespace sandbox (provisioned in-process) on the running shared local cluster, or a
fresh one. Each request goes through the Django view (test client, logged-in student), so
the figure includes the policy, the session kubeconfig file, the kubectl process (console),
the safe YAML loader and the API server round trips (editor, resource view). Prints median
and p95 in milliseconds per operation.
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
WORK = Path(tempfile.mkdtemp(prefix="kubaeum-workspace-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubaeum.settings")
os.environ["KUBAEUM_STATE_DIR"] = str(WORK / "state")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from labs.cluster import LocalCluster  # noqa: E402
from labs.cluster.access import SHARED_CLUSTER_NAME  # noqa: E402
from labs.content import sync_labs  # noqa: E402
from labs.models import Lab, LabSession  # noqa: E402
from labs.providers import get_provider  # noqa: E402
from labs.sandbox.lifecycle import provision_session  # noqa: E402

LAB = "deployment-scaling"
DEPLOYMENT = (ROOT / "content" / "labs" / LAB / "solution.yaml").read_text()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(samples, call):
    call()  # warm-up: first connection, discovery cache
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content.decode()[:500]
    return times


def main():
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the refused 400s are expected
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    sync_labs(settings.CONTENT_DIR)
    lab = Lab.objects.get(slug=LAB)
    settings.LAB_NAMESPACE_PREFIX = f"wbench-{os.getpid()}-"
    shared = LocalCluster(SHARED_CLUSTER_NAME)
    started = None
    if settings.LAB_CLUSTER_KUBECONFIG:
        print(f"cluster: LAB_CLUSTER_KUBECONFIG={settings.LAB_CLUSTER_KUBECONFIG}")
    elif shared.is_running():
        settings.LAB_CLUSTER_KUBECONFIG = str(shared.kubeconfig)
        print("cluster: the running shared local cluster")
    else:
        started = LocalCluster("workspace-bench", workdir=WORK / "cluster").start()
        settings.LAB_CLUSTER_KUBECONFIG = str(started.kubeconfig)
        print("cluster: a fresh local cluster for this run")

    student = User.objects.get_or_create(username="bench-student")[0]
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    client = Client()
    client.force_login(student)
    console = reverse("labs-console", args=[session.pk])
    try:
        client.post(reverse("labs-apply", args=[session.pk]), {"yaml": DEPLOYMENT})
        operations = {
            "console: kubectl get pods": lambda: client.post(console, {"command": "kubectl get pods"}),
            "console: refused (policy only)": lambda: _refused(client, console),
            "editor: 검증 (dry-run)": lambda: client.post(
                reverse("labs-validate", args=[session.pk]), {"yaml": DEPLOYMENT}
            ),
            "editor: 적용 (server-side apply)": lambda: client.post(
                reverse("labs-apply", args=[session.pk]), {"yaml": DEPLOYMENT}
            ),
            "resource view (7 list calls)": lambda: client.get(
                reverse("labs-resources", args=[session.pk]), HTTP_HX_REQUEST="true"
            ),
        }
        print(f"samples per operation: {args.samples}")
        for name, call in operations.items():
            times = measure(args.samples, call)
            print(f"{name:36s} median {statistics.median(times):7.1f} ms   p95 {pct(times, 95):7.1f} ms")
    finally:
        get_provider("namespace").destroy(session)
        if started:
            started.stop()


class _Ok:
    status_code = 200


def _refused(client, url):
    response = client.post(url, {"command": "kubectl get pods --token=x"})
    assert response.status_code == 400
    return _Ok()


if __name__ == "__main__":
    main()
