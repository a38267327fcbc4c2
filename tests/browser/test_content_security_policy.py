"""Every page works under the Content-Security-Policy: Chromium reports no violation while a
student reads, answers a quiz, runs a console command and validates YAML, and while an
instructor uses the overview and the admin."""

import stat

import pytest
from django.contrib.auth.models import User

from accounts.roles import make_instructor
from courses.content.sync import sync_courses
from tests.browser_fixtures import login_through_form
from tests.courses.conftest import write_tree

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def watched_page(new_page):
    """A page that records every CSP violation Chromium reports."""
    page = new_page(1400, 1000, enforce_csp=True)
    page.set_default_timeout(20_000)
    page.violations = []
    page.on(
        "console",
        lambda msg: (
            page.violations.append(f"{page.url}: {msg.text} {msg.location}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return page


@pytest.fixture
def site(transactional_db, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sync_courses(write_tree(tmp_path / "content"))
    student = User.objects.create_user("minji", password="kube-learn-2026!")
    teacher = User.objects.create_user(
        "teacher", password="kube-teach-2026!", is_staff=True, is_superuser=True
    )
    make_instructor(teacher)
    return student, teacher


@pytest.fixture
def shim_kubectl(tmp_path):
    path = tmp_path / "kubectl"
    path.write_text('#!/bin/sh\necho "NAME   READY   STATUS"\necho "web-0  1/1     Running"\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_pages_raise_no_csp_violation_and_send_the_header(
    watched_page, live_server, site, celery_worker_factory, shim_kubectl, settings
):
    from labs.models import Lab
    from tests.labs.workspace.conftest import make_ready_session

    student, teacher = site
    page = watched_page
    settings.KUBECTL_PATH = str(shim_kubectl)
    celery_worker_factory(pool="threads", concurrency=2, queues="console", KUBECTL_PATH=shim_kubectl)

    login_through_form(page, live_server.url, "minji", "kube-learn-2026!")
    response = page.goto(f"{live_server.url}/courses/test-course/first-lesson/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    page.locator("form.quiz-question, .quiz form").first.wait_for()
    page.locator("input[type=radio]").first.check()
    page.locator(".quiz form button, form.quiz-question button").first.click()
    page.wait_for_timeout(500)
    for path in ("/", "/courses/", "/courses/test-course/", "/labs/"):
        page.goto(live_server.url + path)

    from labs.content import sync_labs

    sync_labs(settings.CONTENT_DIR)
    lab = Lab.objects.get(slug="first-pod")  # a real namespace lab, as synced from content/
    make_ready_session(student, lab)
    page.goto(f"{live_server.url}/labs/first-pod/")
    try:
        page.wait_for_selector("#console-input")
    except Exception:
        raise AssertionError(page.content()[-3000:]) from None
    page.fill("#console-input", "kubectl get pods")
    page.press("#console-input", "Enter")
    page.locator(".console-entry", has_text="web-0").wait_for()  # polled until the worker ran it
    page.locator(".CodeMirror").first.wait_for()
    page.get_by_role("button", name="검증").click()
    page.locator(".editor-message").wait_for()  # a 502 from the dead test API server, swapped in

    page.context.clear_cookies()
    login_through_form(page, live_server.url, "teacher", "kube-teach-2026!")
    from courses.models import Lesson

    lesson = Lesson.objects.first()
    for path in ("/instructor/", "/instructor/lessons/", "/admin/", "/admin/labs/consolecommand/"):
        page.goto(live_server.url + path)
    page.goto(f"{live_server.url}/instructor/lessons/{lesson.pk}/")
    page.locator("textarea").first.press("End")
    page.keyboard.type(" 추가")
    page.wait_for_timeout(800)  # the live preview's htmx request
    page.select_option("select[data-autosubmit]", index=0) if page.locator(
        "select[data-autosubmit]"
    ).count() else None
    assert page.violations == []
