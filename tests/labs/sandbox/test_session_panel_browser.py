"""The session panel in a real browser: start, progress, ready with timer, end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from labs.models import LabSession
from tests.browser_fixtures import login_through_form, screenshot
from tests.k8s_helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.cluster, pytest.mark.worker]


def test_student_starts_sees_progress_then_a_ready_panel_and_ends_it(
    lab_cluster, celery_worker_proc, live_server, student, lab, new_page
):
    page = new_page(1200, 900)
    url = f"{live_server.url}/labs/{lab.slug}/sandbox/"
    login_through_form(
        page, live_server.url, "student", "pw-student-1234", next_path=f"/labs/{lab.slug}/sandbox/"
    )
    page.wait_for_url(url)
    page.get_by_role("button", name="실습 시작").click()
    page.wait_for_selector("text=실습 중", timeout=30000)
    remaining = page.locator(".remaining").inner_text()
    page.wait_for_timeout(1500)
    assert page.locator(".remaining").inner_text() != remaining  # the countdown runs
    assert "분" in remaining
    page.get_by_text("내 kubectl로 접속하기").click()
    screenshot(page, "sandbox-session-ready", full_page=True)

    # Reloading resumes the same session; 5 minutes before the end a warning shows.
    assert page.locator(".session-warning").is_hidden()
    LabSession.objects.filter(user=student).update(expires_at=timezone.now() + timedelta(minutes=4))
    page.reload()
    page.wait_for_selector("text=실습 중")
    page.wait_for_selector(".session-warning", state="visible", timeout=5000)
    warning = page.locator(".session-warning").inner_text()
    assert "곧 실습 시간이 끝납니다" in warning and "이어서 하기" in warning and "분 연장" in warning
    assert LabSession.objects.filter(user=student).count() == 1

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="실습 종료").click()
    session = LabSession.objects.get(user=student)
    wait_for(lambda: LabSession.objects.get(pk=session.pk).state == "ended", 30, 0.2, "ended")
    page.wait_for_selector("text=실습 시작", timeout=10000)
    screenshot(page, "sandbox-session-ended", full_page=True)


def test_the_progress_panel_shows_each_step_while_the_sandbox_is_prepared(
    lab_cluster, celery_worker_factory, live_server, student, lab, new_page
):
    celery_worker_factory(KUBAEUM_LAB_PROVISION_PAUSE=4)  # slow enough to watch
    page = new_page(1000, 600)
    login_through_form(
        page, live_server.url, "student", "pw-student-1234", next_path=f"/labs/{lab.slug}/sandbox/"
    )
    page.get_by_role("button", name="실습 시작").click()
    page.wait_for_selector(".session-steps .step-done", timeout=15000)
    steps = page.locator(".session-steps li").all_inner_texts()
    assert [s.split(" ", 1)[1] for s in steps] == [
        "요청 접수", "네임스페이스 생성", "권한 설정", "자원 할당량 설정", "초기 리소스 배치", "준비 완료",
    ]  # fmt: skip
    assert page.locator(".progress[role=progressbar]").is_visible()
    screenshot(page, "sandbox-session-progress")
    page.wait_for_selector("text=실습 중", timeout=30000)
