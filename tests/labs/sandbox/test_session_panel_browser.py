"""The session panel in a real browser: start, progress, ready with timer, end."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from labs.models import LabSession

from .helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.cluster, pytest.mark.worker]
ARTIFACTS = django_settings.BASE_DIR / "test-artifacts"


def login_cookie(user) -> dict:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": store.session_key,
        "domain": "localhost",
        "path": "/",
    }


def test_student_starts_sees_progress_then_a_ready_panel_and_ends_it(
    lab_cluster, celery_worker_proc, live_server, student, lab
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    url = live_server.url.replace("127.0.0.1", "localhost") + f"/labs/{lab.slug}/sandbox/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900})
        context.add_cookies([login_cookie(student)])
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="실습 시작").click()
        page.wait_for_selector("text=실습 중", timeout=30000)
        remaining = page.locator(".remaining").inner_text()
        page.wait_for_timeout(1500)
        assert page.locator(".remaining").inner_text() != remaining  # the countdown runs
        assert "분" in remaining
        page.get_by_text("내 kubectl로 접속하기").click()
        page.screenshot(path=str(ARTIFACTS / "sandbox-session-ready.png"), full_page=True)

        # Reloading resumes the same session.
        page.reload()
        page.wait_for_selector("text=실습 중")
        assert LabSession.objects.filter(user=student).count() == 1

        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="실습 종료").click()
        session = LabSession.objects.get(user=student)
        wait_for(lambda: LabSession.objects.get(pk=session.pk).state == "ended", 30, 0.2, "ended")
        page.wait_for_selector("text=실습 시작", timeout=10000)
        page.screenshot(path=str(ARTIFACTS / "sandbox-session-ended.png"), full_page=True)
        browser.close()
