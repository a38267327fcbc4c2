"""The session panel in a real browser: start, progress, ready with timer, end."""

import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from labs.models import LabSession

from .helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.cluster, pytest.mark.worker]
ARTIFACTS = django_settings.BASE_DIR / "test-artifacts"


def test_student_starts_sees_progress_then_a_ready_panel_and_ends_it(
    lab_cluster, celery_worker_proc, live_server, student, lab
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    url = f"{base}/labs/{lab.slug}/sandbox/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/accounts/login/?next=/labs/{lab.slug}/sandbox/")
        page.fill("input[name=username]", "student")
        page.fill("input[name=password]", "pw-student-1234")
        page.get_by_role("button", name="로그인").click()
        page.wait_for_url(url)
        page.get_by_role("button", name="실습 시작").click()
        page.wait_for_selector("text=실습 중", timeout=30000)
        remaining = page.locator(".remaining").inner_text()
        page.wait_for_timeout(1500)
        assert page.locator(".remaining").inner_text() != remaining  # the countdown runs
        assert "분" in remaining
        page.get_by_text("내 kubectl로 접속하기").click()
        page.screenshot(path=str(ARTIFACTS / "sandbox-session-ready.png"), full_page=True)

        # Reloading resumes the same session; 5 minutes before the end a warning shows.
        assert page.locator(".session-warning").is_hidden()
        LabSession.objects.filter(user=student).update(expires_at=timezone.now() + timedelta(minutes=4))
        page.reload()
        page.wait_for_selector("text=실습 중")
        page.wait_for_selector(".session-warning", state="visible", timeout=5000)
        assert "5분 전" in page.locator(".session-warning").inner_text()
        assert LabSession.objects.filter(user=student).count() == 1

        page.on("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="실습 종료").click()
        session = LabSession.objects.get(user=student)
        wait_for(lambda: LabSession.objects.get(pk=session.pk).state == "ended", 30, 0.2, "ended")
        page.wait_for_selector("text=실습 시작", timeout=10000)
        page.screenshot(path=str(ARTIFACTS / "sandbox-session-ended.png"), full_page=True)
        browser.close()


def test_the_progress_panel_shows_each_step_while_the_sandbox_is_prepared(
    lab_cluster, celery_worker_factory, live_server, student, lab
):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=4)  # slow enough to watch
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        page = browser.new_page(locale="ko-KR", viewport={"width": 1000, "height": 600})
        page.goto(f"{live_server.url}/accounts/login/?next=/labs/{lab.slug}/sandbox/")
        page.fill("input[name=username]", "student")
        page.fill("input[name=password]", "pw-student-1234")
        page.get_by_role("button", name="로그인").click()
        page.get_by_role("button", name="실습 시작").click()
        page.wait_for_selector(".session-steps .step-done", timeout=15000)
        steps = page.locator(".session-steps li").all_inner_texts()
        assert [s.split(" ", 1)[1] for s in steps] == [
            "요청 접수", "네임스페이스 생성", "권한 설정", "자원 할당량 설정", "초기 리소스 배치", "준비 완료",
        ]  # fmt: skip
        assert page.locator(".progress[role=progressbar]").is_visible()
        page.screenshot(path=str(ARTIFACTS / "sandbox-session-progress.png"))
        page.wait_for_selector("text=실습 중", timeout=30000)
        browser.close()
