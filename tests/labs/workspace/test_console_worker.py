"""The console end to end on the real stack: gunicorn, Redis, a console worker, the page polling.

A web thread never waits for kubectl: with fewer web threads than slow commands running,
another student's lesson page is still served while every command is still running.
"""

import secrets
import stat
import time
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import User
from django.test import Client

from courses.content.sync import sync_courses
from labs.models import ConsoleCommand
from tests.courses.conftest import write_tree
from tests.labs.workspace.conftest import make_ready_session

pytestmark = pytest.mark.django_db(transaction=True)

SLOW_SECONDS = 15


class Browser:
    """One logged-in student talking HTTP to the real server (cookie session + CSRF token)."""

    def __init__(self, server, user):
        client = Client()
        client.force_login(user)
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid CSRF secret
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={self.csrf}"
        self.server = server

    def request(self, path, data: bytes | None = None):
        request = urllib.request.Request(self.server.url + path, data=data, headers={"Cookie": self.cookie})
        request.add_header("HX-Request", "true")
        if data is not None:
            request.add_header("X-CSRFToken", self.csrf)
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def slow_kubectl(tmp_path):
    path = tmp_path / "kubectl"
    path.write_text(f'#!/bin/sh\n/bin/sleep {SLOW_SECONDS}\necho "NAME   READY"\necho "$@"\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_lesson_pages_are_served_while_slow_console_commands_run_in_the_worker(
    gunicorn_factory, celery_worker_factory, slow_kubectl, lab, tmp_path
):
    sync_courses(write_tree(tmp_path / "content"))
    students = [User.objects.create_user(f"busy{i}") for i in range(4)]
    reader = User.objects.create_user("reader")
    sessions = [make_ready_session(s, lab, namespace=f"lab-busy-{i}") for i, s in enumerate(students)]
    celery_worker_factory(pool="threads", concurrency=8, queues="console", KUBECTL_PATH=slow_kubectl)
    # Two web threads for four slow commands: had a command held its request thread,
    # the lesson page could not be served until one ended.
    server = gunicorn_factory(workers=1, threads=2, KUBECTL_PATH=slow_kubectl)

    for student, session in zip(students, sessions, strict=True):
        status, body = Browser(server, student).request(
            f"/labs/sessions/{session.pk}/console/", b"command=kubectl+get+pods"
        )
        assert status == 202, body
        assert "hx-get" in body
    assert wait_for(lambda: ConsoleCommand.objects.filter(state="running").count() == 4, 30)

    page = Browser(server, reader)
    timings = []
    for _ in range(10):
        started = time.monotonic()
        status, body = page.request("/courses/test-course/first-lesson/")
        timings.append(time.monotonic() - started)
        assert status == 200 and "첫 레슨" in body
    # Every page above was served while all four commands were still running.
    assert ConsoleCommand.objects.filter(state="running").count() == 4
    print(f"lesson page while 4 commands run: max {max(timings) * 1000:.0f} ms")

    for student, session in zip(students, sessions, strict=True):
        command = ConsoleCommand.objects.get(session=session)
        browser = Browser(server, student)
        path = f"/labs/sessions/{session.pk}/console/{command.pk}/"
        assert wait_for(lambda path=path, browser=browser: browser.request(path)[0] != 202, SLOW_SECONDS + 30)
        status, body = browser.request(path)
        assert status == 200 and "NAME   READY" in body and "종료 코드 0" in body
