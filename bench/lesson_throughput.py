#!/usr/bin/env python3
"""Lesson page vs a bare "hello" view, served by gunicorn, loaded by wrk on loopback.

    .venv/bin/python bench/lesson_throughput.py [--duration 4] [--rounds 8] [--connections 32]

Prepares a temporary SQLite database (migrate + sync_content of the real content/, or
a fixture course when content/ does not sync), creates a student, logs in through the
login form to get a session cookie, starts gunicorn on a free 127.0.0.1 port and runs
wrk against /hello/ and a real lesson page, alternating, in the same server. Prints
requests/s and p50/p99 latency for each and the lesson/hello throughput ratio.
Target: ratio >= 0.70 and lesson p99 < 50 ms at 32 connections.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "bench-student-pw-2026"

LUA = """\
wrk.headers["Cookie"] = "{cookie}"
"""

SETUP = """\
from django.contrib.auth.models import User
from courses.models import Lesson
User.objects.create_user("bench-student", password={password!r})
lessons = list(Lesson.objects.published().select_related("course"))
# The longest published lesson: the page with the most to send.
lesson = max(lessons, key=lambda l: len(l.body_html) + 200 * l.questions.count())
print("LESSON", lesson.get_absolute_url(), len(lesson.body_html), lesson.questions.count())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, log_path: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """gunicorn with `options` on a free loopback port; (process, base URL) once /hello/ answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [GUNICORN, "kubaeum.wsgi", "-b", f"127.0.0.1:{port}", *options, "--backlog", "2048"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log_path, "w")
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/hello/", timeout=1).read()
            return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                sys.exit("gunicorn이 시작되지 않았습니다: " + log_path.read_text()[-2000:])
            time.sleep(0.2)


def manage(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def fixture_content(tmp: Path) -> Path:
    """A realistic lesson (code, table, admonition, 4 questions) when content/ is not ready."""
    root = tmp / "content" / "courses" / "bench"
    (root / "basics").mkdir(parents=True)
    (root / "course.yaml").write_text(
        "title: 벤치마크 강좌\nmodules:\n  - slug: basics\n    title: 기초\n    lessons: [pods]\n"
    )
    sections = "\n".join(
        f"## {i}절 파드 살펴보기\n\n파드는 하나 이상의 컨테이너를 묶은 단위입니다. " * 3
        + "\n\n```yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n```\n\n"
        + "| 항목 | 설명 |\n|---|---|\n| 파드 | 실행 단위 |\n| 서비스 | 고정 주소 |\n\n"
        + '!!! tip "팁"\n    kubectl explain pod 명령으로 필드를 확인할 수 있습니다.\n'
        for i in range(1, 7)
    )
    quiz = "".join(
        f"""
  - id: q{i}
    type: single
    prompt: 문항 {i}
    choices:
      - {{id: a, text: 정답, correct: true}}
      - {{id: b, text: 오답}}
      - {{id: c, text: 오답}}
    explanation: 해설 {i}"""
        for i in range(1, 5)
    )
    front = (
        "---\ntitle: 파드\nsummary: 파드를 배웁니다\nminutes: 10\nobjectives:\n  - 파드를 설명할 수 있다\nquiz:"
        + quiz
        + "\n---\n"
    )
    (root / "basics" / "pods.md").write_text(front + sections)
    return tmp / "content"


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The first match of `pattern` in a tool's output; a clear error when the output lacks it."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise RuntimeError(f"{pattern!r} not found in:\n{text[-2000:]}")
    return match


def login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/accounts/login/").read().decode()
    token = found(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"username": "bench-student", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    req = urllib.request.Request(
        f"{base}/accounts/login/", data=data.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(req).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit("로그인에 실패했습니다: sessionid 쿠키가 없습니다.")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def parse_duration(value: str) -> float:
    number, unit = found(r"^([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[unit]


def run_wrk(url: str, script: Path, connections: int, duration: int, threads: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rps": float(found(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_duration(found(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": parse_duration(found(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": 0,
    }
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(map(int, m.groups()))
    return result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run (default 4)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=8, help="hello/lesson pairs, alternating (default 8)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: CPUs)"
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (default sync)")
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--fixture", action="store_true", help="use the built-in fixture lesson, not content/"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk가 필요합니다: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="kubaeum-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        content = "content/ (실제 강좌)"
        synced = None if args.fixture else manage(env, "sync_content", check=False)
        if synced is None or synced.returncode != 0:
            if synced is not None:
                print(
                    "content/ 동기화 실패, 예비 레슨으로 측정합니다:\n"
                    + textwrap.indent(synced.stderr.strip()[-800:], "  ")
                )
            manage(env, "sync_content", "--dir", str(fixture_content(tmp)))
            content = "예비 레슨 (bench 내장)"
        setup = manage(env, "shell", "-c", SETUP.format(password=PASSWORD)).stdout
        _, lesson_path, html_size, n_questions = found(r"(LESSON) (\S+) (\d+) (\d+)", setup).groups()

        server, base = start_gunicorn(
            env,
            tmp / "gunicorn.log",
            "-w",
            str(args.workers),
            "-k",
            args.worker_class,
            "--threads",
            str(args.worker_threads),
        )
        cookie = login(base)
        script = tmp / "cookie.lua"
        script.write_text(LUA.format(cookie=cookie))
        check = urllib.request.Request(base + lesson_path, headers={"Cookie": cookie})
        page = urllib.request.urlopen(check).read()
        if b"quiz-card" not in page:
            sys.exit("레슨 페이지가 로그인된 학생에게 보이지 않습니다.")

        print(
            f"콘텐츠: {content} · 레슨 {lesson_path} (본문 {int(html_size):,}자, 퀴즈 {n_questions}문항, 응답 {len(page):,}바이트)"
        )
        print(
            f"gunicorn {args.worker_class} 워커 {args.workers}개 (워커당 스레드 {args.worker_threads}개) · wrk 연결 {args.connections}개 · {args.duration}초 × {args.rounds}회씩 번갈아 측정"
        )
        targets = {"hello": f"{base}/hello/", "lesson": base + lesson_path}
        for url in targets.values():  # warm-up: imports, template and query caches
            run_wrk(url, script, args.connections, 2, args.threads)
        runs = {"hello": [], "lesson": []}
        for _ in range(args.rounds):
            for name, url in targets.items():
                runs[name].append(run_wrk(url, script, args.connections, args.duration, args.threads))

        summary = {}
        print(f"\n{'':8}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}   (라운드 중앙값)")
        for name, results in runs.items():
            s = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p99")}
            s["errors"] = sum(r["errors"] for r in results)
            summary[name] = s
            print(f"{name:8}{s['rps']:>10.0f}{s['p50']:>10.2f}{s['p99']:>10.2f}{s['errors']:>8}")
        # Other processes on a shared machine come and go: a pair run back to back sees
        # the same conditions, so the ratio is taken per pair, then the median.
        pair_ratios = [
            lesson["rps"] / hello["rps"] for hello, lesson in zip(runs["hello"], runs["lesson"], strict=True)
        ]
        print("\n라운드별 (hello req/s, p99 → lesson req/s, p99, 비율):")
        for i, (hello, lesson) in enumerate(zip(runs["hello"], runs["lesson"], strict=True), 1):
            print(
                f"  #{i:<2} {hello['rps']:>6.0f} {hello['p99']:>7.1f} ms → "
                f"{lesson['rps']:>6.0f} {lesson['p99']:>7.1f} ms   {pair_ratios[i - 1]:.2f}"
            )
        ratio = statistics.median(pair_ratios)
        ok = ratio >= 0.70 and summary["lesson"]["p99"] < 50 and not summary["lesson"]["errors"]
        print(
            f"\n레슨/hello 처리량 비율 (라운드별 비율의 중앙값): {ratio:.2f} (목표 ≥ 0.70) · "
            f"레슨 p99 {summary['lesson']['p99']:.1f} ms (목표 < 50 ms)"
        )
        print("결과: " + ("목표 달성" if ok else "목표 미달"))
        return 0 if ok else 1
    finally:
        if server and server.poll() is None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
