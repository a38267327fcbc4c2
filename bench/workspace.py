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
import time

from support import ROOT, choose_cluster, pct, provision_sandbox, start_django

WORK = start_django("kubaeum-workspace-bench-")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from labs.content import sync_labs  # noqa: E402
from labs.models import Lab  # noqa: E402
from labs.providers import get_provider  # noqa: E402

LAB = "deployment-scaling"
DEPLOYMENT = (ROOT / "content" / "labs" / LAB / "solution.yaml").read_text()


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
    started, _ = choose_cluster("workspace-bench", WORK)

    student = User.objects.get_or_create(username="bench-student")[0]
    session = provision_sandbox(student, lab)
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
