#!/usr/bin/env python3
"""A reader's lesson page while console commands run (issue 9, item 1).

    .venv/bin/python bench/console_load.py [--sessions 6] [--seconds 20] [--readers 20]

Starts Redis, a console worker (`celery worker -Q console -P threads -c 8`, as `make run`)
and gunicorn (2 workers x 4 threads) on a throwaway database with the real content/. Each
of --sessions students starts a console command that runs for --seconds (the console's
longest allowed run: a kubectl that sleeps stands for `kubectl wait ... --timeout=600s`,
which the console stops at its limit). While they run, wrk loads another student's lesson
page; the same load without commands is measured first. Prints p50/p95/p99 of both.
"""

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_throughput import GUNICORN, PY, ROOT, free_port, manage  # noqa: E402
from readers import P95_LUA, wrk  # noqa: E402

SETUP = """
import json
from datetime import timedelta
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from courses.models import Lesson
from labs.models import Lab, LabSession

def cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

lab = Lab.objects.create(slug="bench-console", title="bench", scope="namespace", definition={{"steps": []}})
now = timezone.now()
out = {{"students": []}}
for i in range({sessions}):
    user = User.objects.create_user(f"busy{{i}}")
    session = LabSession(user=user, lab=lab, state="ready", namespace=f"lab-b{{i}}", ready_at=now,
                         expires_at=now + timedelta(hours=1), last_activity_at=now)
    session.set_kubeconfig("apiVersion: v1\\nkind: Config\\n")
    session.save()
    out["students"].append([session.pk, cookie(user)])
out["reader"] = cookie(User.objects.create_user("reader"))
out["lesson"] = max(Lesson.objects.published(), key=lambda l: len(l.body_html)).get_absolute_url()
print("JSON" + json.dumps(out))
"""


def wait_http(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer")


def main():
    import json

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--duration", type=int, default=6)
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        sys.exit("wrk와 redis-server가 필요합니다: apt-get install wrk redis-server")
    tmp = Path(tempfile.mkdtemp(prefix="kubaeum-console-load-"))
    kubectl = tmp / "kubectl"
    kubectl.write_text(f"#!/bin/sh\n/bin/sleep {args.seconds}\necho done\n")
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "KUBAEUM_STATE_DIR": str(tmp / "state"),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "KUBECTL_PATH": str(kubectl),
        "LAB_CONSOLE_PER_STUDENT": "2",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--dir",
                    str(tmp),
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "sync_content")
        data = json.loads(
            manage(env, "shell", "-c", SETUP.format(sessions=args.sessions)).stdout.split("JSON", 1)[1]
        )
        procs.append(
            subprocess.Popen(
                [
                    PY,
                    "-m",
                    "celery",
                    "-A",
                    "kubaeum",
                    "worker",
                    "-Q",
                    "console",
                    "-P",
                    "threads",
                    "-c",
                    "8",
                    "-n",
                    "console-bench@%h",
                    "-l",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=open(tmp / "worker.log", "w"),
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
        procs.append(
            subprocess.Popen(
                [GUNICORN, "kubaeum.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "2", "--threads", "4"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp / "web.log", "w"),
            )  # fmt: skip
        )
        base = f"http://127.0.0.1:{web_port}"
        wait_http(base + "/hello/")
        time.sleep(3)  # the worker connects to the broker
        script = tmp / "reader.lua"
        script.write_text(P95_LUA.format(cookie=f"sessionid={data['reader']}; csrftoken={'k' * 32}"))
        page = base + data["lesson"]
        wrk(page, script, 4, 2)  # warm-up and the reader's page cache
        idle = wrk(page, script, args.readers, args.duration)

        accepted = []
        for session_id, cookie in data["students"]:
            request = urllib.request.Request(
                f"{base}/labs/sessions/{session_id}/console/",
                data=b"command=kubectl+wait+--for%3Dcondition%3DReady+pod%2Fweb+--timeout%3D600s",
                headers={"Cookie": f"sessionid={cookie}; csrftoken={'k' * 32}", "X-CSRFToken": "k" * 32},
            )
            started = time.monotonic()
            with urllib.request.urlopen(request, timeout=30) as response:
                accepted.append((response.status, time.monotonic() - started))
        time.sleep(1)
        busy = wrk(page, script, args.readers, args.duration)
        print(f"gunicorn 2 workers x 4 threads, console worker 8 threads, {os.cpu_count()} CPUs")
        print(
            f"{args.sessions} console commands of {args.seconds} s each: answers "
            + ", ".join(f"{status} in {ms * 1000:.0f} ms" for status, ms in accepted)
        )
        print(f"lesson page, {args.readers} readers {'':14}p50 ms   p95 ms   p99 ms   req/s  errors")
        for name, r in (("no commands running", idle), ("commands running", busy)):
            print(
                f"  {name:34}{r['p50']:>6.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['rps']:>8.0f}{r['errors']:>8}"
            )
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
