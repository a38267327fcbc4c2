#!/usr/bin/env python3
"""Readers under load: p95 of the bare view, the course page and a lesson at 50 and 200
concurrent readers, then the same while logins hammer the server (item 12 of issue 9).

    .venv/bin/python bench/readers.py [--duration 6] [--logins 8]

Runs gunicorn as `make run` does (2 workers x 4 threads), on a throwaway SQLite database
with the real content/, logged in as one student; wrk (apt-get install wrk) loads one URL
at a time. A login storm is `--logins` connections POSTing correct passwords as fast as
they can (rate limits raised so every one costs a real PBKDF2 check): the figures show
whether page serving keeps its cores while hashes run (accounts/hashers.py).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lesson_throughput import PASSWORD, SETUP, found, login, manage, start_gunicorn  # noqa: E402

P95_LUA = """\
wrk.headers["Cookie"] = "{cookie}"
done = function(summary, latency, requests)
  io.write(string.format("P95 %.3f\\nP50 %.3f\\nP99 %.3f\\n", latency:percentile(95) / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""
LOGIN_LUA = """\
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={token}"
wrk.headers["Referer"] = "{base}/accounts/login/"
wrk.body = "username=bench-student&password={password}&csrfmiddlewaretoken={token}"
"""
TOKEN = "k" * 32  # a valid CSRF secret: the cookie and the form carry the same one


def wrk(url: str, script: Path, connections: int, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {k.lower(): float(v) for k, v in re.findall(r"^(P\d\d) ([\d.]+)$", out, re.M)}
    result["rps"] = float(found(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(map(int, m.groups()))
    result["errors"] = errors
    return result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--logins", type=int, default=8, help="connections of the login storm")
    parser.add_argument("--readers", default="50,200")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk가 필요합니다: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="kubaeum-readers-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "KUBAEUM_STATE_DIR": str(tmp / "state"),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "LOGIN_RATE_PER_USER": "1000000/m",
        "LOGIN_RATE_PER_IP": "1000000/m",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "sync_content")
    setup = manage(env, "shell", "-c", SETUP.format(password=PASSWORD)).stdout
    lesson_path = found(r"LESSON (\S+)", setup).group(1)
    course_path = "/".join(lesson_path.split("/")[:3]) + "/"
    server, base = start_gunicorn(env, tmp / "gunicorn.log", "-w", "2", "--threads", "4")
    storm = None
    try:
        cookie = login(base)
        script = tmp / "reader.lua"
        script.write_text(P95_LUA.format(cookie=cookie))
        storm_script = tmp / "login.lua"
        storm_script.write_text(LOGIN_LUA.format(token=TOKEN, base=base, password=PASSWORD))
        targets = {"hello (bare)": "/hello/", "course": course_path, "lesson": lesson_path}
        for path in targets.values():  # warm-up, and the per-student page caches
            wrk(base + path, script, 4, 2)
        print(
            f"gunicorn 2 workers x 4 threads, {os.cpu_count()} CPUs; course {course_path}, lesson {lesson_path}"
        )
        print(
            f"{'':14}{'readers':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}{'errors':>7}   login storm"
        )
        rows = []
        for storming in (False, True):
            if storming:
                storm = subprocess.Popen(
                    ["wrk", "-t1", f"-c{args.logins}", "-d600s", "--timeout", "30s", "-s", str(storm_script),
                     f"{base}/accounts/login/"],
                    stdout=subprocess.PIPE,
                    text=True,
                )  # fmt: skip
                time.sleep(2)
            for readers in map(int, args.readers.split(",")):
                for name, path in targets.items():
                    r = wrk(base + path, script, readers, args.duration)
                    rows.append((name, readers, storming, r))
                    print(
                        f"{name:14}{readers:>8}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['rps']:>8.0f}"
                        f"{r['errors']:>7}   {'on (' + str(args.logins) + ' conns)' if storming else 'off'}"
                    )
        if storm:
            storm.terminate()
            out = storm.communicate(timeout=30)[0]
            if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
                print(f"login storm: {float(m.group(1)):.2f} logins/s while the pages above were measured")
    finally:
        if storm and storm.poll() is None:
            storm.kill()
        server.terminate()
        server.wait(15)


if __name__ == "__main__":
    main()
