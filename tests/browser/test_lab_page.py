"""The lab page guides the student, in Chromium against the real cluster and real workers:
the live task list flips without 채점하기, the console is bounded and helps, the phone gets
tabs, a reaped sandbox is rebuilt with "이어서 하기", a second tab follows at once, and axe
finds nothing serious. Screenshots of the desktop (1366×900) and phone (390×844) pages are
kept in test-artifacts/.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from labs.content import sync_labs
from labs.models import Lab, LabSession, Submission
from tests.browser.axe import axe_violations, describe
from tests.browser_fixtures import login_through_form, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.cluster, pytest.mark.worker]

LAB_SLUG = "deployment-scaling"


@pytest.fixture
def lab(cluster, settings, transactional_db):
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    settings.LAB_NAMESPACE_PREFIX = f"lab-p{uuid.uuid4().hex[:8]}-"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sync_labs(settings.CONTENT_DIR)
    User.objects.create_user("yuna", password="pw-yuna-1234")
    return Lab.objects.get(slug=LAB_SLUG)


def start_lab(page, base_url, workers_log=lambda: ""):
    login_through_form(page, base_url, "yuna", "pw-yuna-1234", next_path=f"/labs/{LAB_SLUG}/")
    page.click("button.start-lab")
    wait_ready(page, workers_log)


def wait_ready(page, workers_log=lambda: ""):
    try:
        page.wait_for_selector("#console-input", state="attached", timeout=150_000)
    except Exception:
        rows = list(LabSession.objects.values_list("state", "step", "failure_reason"))
        raise AssertionError(f"never ready: {rows}\n{workers_log()[-2000:]}") from None


def apply_step_manifest(page):
    """The first step's Deployment, taken into the editor with its own button, then 적용."""
    page.once("dialog", lambda dialog: dialog.accept())  # "replace what you wrote?" if asked
    page.click(".lab-steps .code-actions >> text=편집기에 넣기")
    page.click(".ws-editor button >> text=적용")
    page.locator(".editor-message.ok").wait_for(timeout=30_000)


def run(page, command, expect):
    """Run one command and wait for ITS finished entry (not an earlier one with the same text)."""
    before = page.locator(".console-entry").count()
    page.fill("#console-input", command)
    page.press("#console-input", "Enter")
    page.wait_for_function(
        "([n, text]) => { const all = document.querySelectorAll('.console-entry');"
        " const last = all[all.length - 1];"
        " return all.length > n && !last.classList.contains('pending') && last.textContent.includes(text); }",
        arg=[before, expect],
        timeout=30_000,
    )


def task(page, check_id):
    return page.locator(f".task[data-check={check_id}]")


def test_live_task_list_flips_to_done_without_grading_and_lights_the_resource_view(
    lab, celery_worker_proc, console_worker_proc, live_server, new_page
):
    page = new_page(1366, 900)
    start_lab(page, live_server.url, celery_worker_proc.log)
    # An untouched sandbox: the checks run by themselves and say what is missing.
    task(page, "deployment-exists").and_(page.locator("[data-state=fail]")).wait_for(timeout=15_000)
    assert "디플로이먼트 web이 없습니다" in task(page, "deployment-exists").inner_text()

    apply_step_manifest(page)
    # ✓ within a few seconds of the fix, without 채점하기.
    for check in ("deployment-exists", "selector", "image"):
        task(page, check).and_(page.locator("[data-state=pass]")).wait_for(timeout=8_000)
    assert task(page, "replicas").get_attribute("data-state") == "fail"
    page.locator(".res-deploy.check-fail[data-name=web]").wait_for(timeout=10_000)  # replicas still wrong

    run(page, "kubectl scale deployment web --replicas=3", "scaled")
    task(page, "replicas").and_(page.locator("[data-state=pass]")).wait_for(timeout=8_000)
    for check in ("ready", "pods"):
        task(page, check).and_(page.locator("[data-state=pass]")).wait_for(timeout=30_000)
    page.locator(".res-deploy.check-pass[data-name=web]").wait_for(timeout=10_000)
    assert "모든 항목을 통과했습니다" in page.locator("[data-task-summary]").inner_text()
    # Automatic rounds are never recorded: no submission, so no attempt towards hints.
    assert Submission.objects.count() == 0

    # 채점하기 stays the scored submission; its result is in view and the header updates.
    page.click("button.grade-button")
    page.locator(".submission[data-state=done]").wait_for(timeout=30_000)
    result = page.locator(".grading-result")
    box = result.bounding_box()
    assert box and 0 <= box["y"] < 900, box  # in the viewport, no scrolling to find it
    page.locator("#lab-best .score.full").wait_for(timeout=5_000)
    assert "100" in page.locator("#lab-best").inner_text()
    assert page.locator("[data-lab-next]").is_visible()
    assert Submission.objects.count() == 1
    screenshot(page, "lab-page-desktop")

    found = axe_violations(page)
    assert not found, describe(found)

    # Back to the editor: the result folds to its score line, so it no longer covers the
    # editor under it; the toggle opens it again.
    page.locator(".ws-editor .CodeMirror").click()
    assert not result.is_visible()
    toggle = page.locator("[data-grading-toggle]")
    assert toggle.inner_text() == "결과 펼치기" and toggle.get_attribute("aria-expanded") == "false"
    assert "100" in page.locator(".ws-grading").inner_text()
    screenshot(page, "lab-page-desktop-editing")
    toggle.click()
    assert result.is_visible() and toggle.get_attribute("aria-expanded") == "true"


def test_console_is_bounded_and_helps_with_paste_history_completion_and_typos(
    lab, celery_worker_proc, console_worker_proc, live_server, new_page
):
    page = new_page(1366, 900)
    start_lab(page, live_server.url, celery_worker_proc.log)
    log = page.locator(".console-log")
    height = log.evaluate("el => el.clientHeight")

    # Several pasted lines run one after the other.
    lines = "\n".join(
        ["$ kubectl get pods", "kubectl get deployments", "kubectl get services", "kubectl version"]
    )
    page.click("#console-input")
    page.evaluate(
        "(text) => { const dt = new DataTransfer(); dt.setData('text/plain', text);"
        " document.querySelector('#console-input').dispatchEvent("
        "new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }",
        lines,
    )
    page.locator(".console-entry:not(.pending)", has_text="Client Version").wait_for(timeout=60_000)
    commands = [c.strip() for c in page.locator(".console-entry .console-cmd").all_inner_texts()]
    assert commands[-4:] == [
        "$ kubectl get pods",
        "$ kubectl get deployments",
        "$ kubectl get services",
        "$ kubectl version",
    ]
    for _ in range(8):
        run(page, "kubectl api-resources --namespaced=true", "pods")
    # Bounded: the pane keeps its height, scrolls, and shows the newest output at the bottom.
    assert log.evaluate("el => el.clientHeight") == height
    assert log.evaluate("el => el.scrollHeight > el.clientHeight + 100")
    assert log.evaluate("el => Math.abs(el.scrollTop + el.clientHeight - el.scrollHeight) < 4")
    # Wide tables are not wrapped: the line scrolls sideways instead.
    assert page.locator(".console-out").last.evaluate("el => getComputedStyle(el).whiteSpace") == "pre"
    screenshot(page, "lab-console-bounded")

    # Tab completes verbs; ↑ brings back history; a typo is caught and corrected.
    page.fill("#console-input", "kubectl sc")
    page.press("#console-input", "Tab")
    assert page.input_value("#console-input") == "kubectl scale "
    page.fill("#console-input", "")
    page.press("#console-input", "ArrowUp")
    assert page.input_value("#console-input") == "kubectl api-resources --namespaced=true"
    before = page.locator(".console-entry").count()
    page.fill("#console-input", "kubeclt get pods")
    page.press("#console-input", "Enter")
    hint = page.locator(".console-hint")
    hint.get_by_text("kubectl get pods").wait_for()
    assert page.locator(".console-entry").count() == before  # nothing was sent
    hint.get_by_role("button", name="고쳐서 실행").click()
    page.locator(".console-entry:not(.pending) .console-cmd", has_text="kubectl get pods").last.wait_for()


def test_phone_shows_one_pane_at_a_time_with_tabs(
    lab, celery_worker_proc, console_worker_proc, live_server, new_page
):
    page = new_page(390, 844)
    start_lab(page, live_server.url, celery_worker_proc.log)
    tabs = page.locator(".lab-tabs")
    assert tabs.is_visible()
    assert [t.strip() for t in tabs.locator("button").all_inner_texts()][:4] == [
        "설명",
        "콘솔",
        "편집기",
        "리소스",
    ]
    assert page.locator(".lab-steps").is_visible() and not page.locator(".ws-console").is_visible()
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "lab-page-phone")

    tabs.get_by_role("button", name="콘솔").click()
    assert page.locator(".ws-console").is_visible() and not page.locator(".lab-steps").is_visible()
    run(page, "kubectl get pods", "No resources found")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "lab-page-phone-console")

    # "편집기에 넣기" in the 설명 tab takes the manifest to the editor tab.
    tabs.get_by_role("button", name="설명").click()
    apply_step_manifest(page)
    assert page.locator(".ws-editor .CodeMirror").is_visible() and not page.locator(".lab-steps").is_visible()
    assert page.get_attribute(".lab-page", "data-tab") == "editor"
    tabs.get_by_role("button", name="리소스").click()
    page.locator(".ws-resources .res-deploy[data-name=web]").wait_for(timeout=15_000)
    screenshot(page, "lab-page-phone-resources")

    # 채점하기 from the 채점 tab; the result is right there.
    page.locator(".lab-tabs button[data-tab=grading]").click()
    page.click("button.grade-button")
    page.locator(".submission[data-state=done]").wait_for(timeout=30_000)
    assert page.locator(".ws-grading .grading-result").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "lab-page-phone-grading")
    found = axe_violations(page)
    assert not found, describe(found)


def test_a_reaped_sandbox_is_rebuilt_from_what_was_applied_and_a_second_tab_follows(
    lab, celery_worker_proc, console_worker_proc, live_server, new_page, settings
):
    from labs.sandbox.reaper import reap

    # Two tabs of one browser (one context: the same login, and they can talk to each other).
    context = new_page(1366, 900).context.browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="ko-KR"
    )
    page = context.new_page()
    start_lab(page, live_server.url, celery_worker_proc.log)
    apply_step_manifest(page)
    page.locator(".ws-resources .res-deploy[data-name=web]").wait_for(timeout=15_000)
    old = LabSession.objects.get(state=LabSession.State.READY)

    # A second tab on the same session.
    other = context.new_page()
    other.goto(f"{live_server.url}/labs/{LAB_SLUG}/")
    wait_ready(other)

    # The reaper ends it for idleness, as it would after LAB_IDLE_MINUTES without activity.
    LabSession.objects.filter(pk=old.pk).update(
        last_activity_at=timezone.now() - timedelta(minutes=settings.LAB_IDLE_MINUTES + 1)
    )
    assert reap()["idle"] == 1
    # Activity in the page (the heartbeat) finds out at once and shows the ended panel.
    page.evaluate("window.kubaeumHeartbeatNow()")
    page.locator("button.resume-lab").wait_for(timeout=15_000)
    # The other tab switches to the ended state at once (no waiting for its own timer).
    other.locator("#lab-session[data-state=ended], #lab-session[data-state=ending]").wait_for(timeout=5_000)
    screenshot(page, "lab-page-reaped")

    page.click("button.resume-lab")
    page.locator(".session-resumed.ok").wait_for(timeout=150_000)
    assert "1건" in page.locator(".session-resumed").inner_text()
    new = LabSession.objects.get(state=LabSession.State.READY)
    assert new.pk != old.pk
    # What the student had applied is back in the fresh sandbox.
    page.locator(".ws-resources .res-deploy[data-name=web]").wait_for(timeout=15_000)
    task(page, "deployment-exists").and_(page.locator("[data-state=pass]")).wait_for(timeout=10_000)
    screenshot(page, "lab-page-resumed")
