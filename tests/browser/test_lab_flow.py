"""The whole lab, in a real browser: start a sandbox, use the console and the editor, grade, fix, full marks.

Everything is real: the local Kubernetes cluster, a Celery worker process provisioning the
session and grading it, Redis between them, and Chromium driving the page.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from labs.content import sync_labs
from labs.models import Lab, LabSession
from tests.browser_fixtures import login_through_form, screenshot

LAB_SLUG = "deployment-scaling"


@pytest.fixture
def browser_page(new_page):
    return new_page(1500, 1000)


@pytest.fixture
def lab_stack(cluster, settings, transactional_db):
    """The real cluster, our content synced, and namespace names private to this test."""
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    settings.LAB_NAMESPACE_PREFIX = f"lab-b{uuid.uuid4().hex[:8]}-"
    sync_labs(settings.CONTENT_DIR)
    return Lab.objects.get(slug=LAB_SLUG)


def shot(page, name):
    screenshot(page, f"lab-flow-{name}", full_page=True)


def run_in_console(page, command, expect):
    page.fill("#console-input", command)
    page.press("#console-input", "Enter")
    page.locator(".console-entry", has_text=expect).last.wait_for(timeout=30_000)


def grade(page):
    """Press 채점하기 and wait for THIS grading's result (a new submission block, done)."""
    previous = page.evaluate("(document.querySelector('.submission') || {}).id || ''")
    page.click("button.grade-button")
    page.wait_for_function(
        "(old) => { const s = document.querySelector('.submission');"
        " return s && s.id !== old && s.dataset.state === 'done'; }",
        arg=previous,
        timeout=30_000,
    )
    return page.locator(".submission-score .score").inner_text()


@pytest.mark.browser
@pytest.mark.cluster
@pytest.mark.worker
def test_student_starts_a_lab_works_in_console_and_editor_and_gets_full_marks(
    lab_stack, celery_worker_proc, console_worker_proc, live_server, browser_page
):
    page = browser_page
    User.objects.create_user("haneul", password="pw-haneul-1234")

    # Log in and find the lab from the top navigation.
    login_through_form(page, live_server.url, "haneul", "pw-haneul-1234")
    page.click("header nav >> text=실습")
    page.wait_for_selector(".lab-list")
    shot(page, "0-lab-list")
    page.click(f"text={lab_stack.title}")
    page.wait_for_selector("button.start-lab")
    shot(page, "1-lab-page")

    # Start: a real session provisioned by the Celery worker on the real cluster.
    page.click("button.start-lab")
    try:
        page.wait_for_selector("#console-input", timeout=150_000)
    except Exception:
        shot(page, "2-not-ready")
        rows = list(LabSession.objects.values_list("state", "step", "failure_reason"))
        raise AssertionError(
            f"the session never became ready: {rows}\n{celery_worker_proc.log()[-2000:]}"
        ) from None
    session = LabSession.objects.get(user__username="haneul", lab=lab_stack)
    assert session.state == LabSession.State.READY
    shot(page, "2-workspace-ready")

    # Console: a command, its output, and a refused one that never runs.
    run_in_console(page, "kubectl get pods", f"No resources found in {session.namespace} namespace.")
    run_in_console(page, "kubectl get pods | grep web", "파이프(|)는 쓸 수 없습니다")
    assert session.console_commands.count() == 1
    shot(page, "3-console")

    # Editor: the step's YAML goes into the editor with its button, then 적용.
    page.click(".lab-steps .code-actions >> text=편집기에 넣기")
    assert "kind: Deployment" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    # 검증 with a mistake: the API server's complaint, in Korean, under the line it is about.
    page.evaluate(
        "const cm = document.querySelector('.ws-editor .CodeMirror').CodeMirror;"
        "cm.setValue(cm.getValue().replace('replicas: 1', 'replicas: -1'))"
    )
    page.click(".ws-editor button >> text=검증")
    note = page.locator(".ws-editor .cm-problem-note")
    note.wait_for(timeout=30_000)
    assert "유효하지 않은 값" in note.inner_text()
    assert "replicas: -1" in page.locator(".ws-editor .cm-problem-line .CodeMirror-line").inner_text()
    shot(page, "4a-editor-validate-error")
    page.once("dialog", lambda dialog: dialog.accept())  # "replace what you wrote?"
    page.click(".lab-steps .code-actions >> text=편집기에 넣기")
    assert page.locator(".ws-editor .cm-problem-note").count() == 0
    page.click(".ws-editor button >> text=적용")
    page.locator(".editor-message.ok", has_text="deployment.apps/web").wait_for(timeout=30_000)
    page.locator(".res-deploy", has_text="web").wait_for(timeout=30_000)
    shot(page, "4-editor-applied")

    # First grading: the Deployment is right but there is only one replica → partial.
    page.wait_for_selector("button.grade-button", timeout=30_000)
    score = grade(page)
    earned, total = map(int, re.findall(r"\d+", score)[:2])
    assert 0 < earned < total, score
    assert page.locator(".check-result.failed").count() >= 1
    assert page.locator(".check-result.passed").count() >= 1
    # Hints open after the lab's number of failed gradings.
    for _ in range(lab_stack.spec.hints_after - 1):
        grade(page)
    page.locator(".check-hint").first.wait_for(timeout=10_000)
    assert "kubectl scale" in page.locator(".check-results").inner_text()
    shot(page, "5-partial-with-hints")

    # Fix it from the console, with the step's own "콘솔에 넣기" button.
    page.click(".lab-steps .code-actions >> text=콘솔에 넣기")
    assert page.input_value("#console-input") == "kubectl scale deployment web --replicas=3"
    page.press("#console-input", "Enter")
    page.locator(".console-entry", has_text="deployment.apps/web scaled").wait_for(timeout=30_000)
    page.locator(".res-deploy .badge", has_text="3/3 준비").wait_for(timeout=60_000)
    shot(page, "6-fixed")

    score = grade(page)
    earned, total = map(int, re.findall(r"\d+", score)[:2])
    assert earned == total, score
    assert page.locator(".check-result.failed").count() == 0
    page.locator("text=모든 검사를 통과했습니다").wait_for()
    shot(page, "7-full-marks")

    # 연장 re-renders the session panel; the console keeps this tab's output.
    page.evaluate("document.querySelector('.workspace').dataset.before = 'extend'")
    page.click("#lab-session button >> text=연장")
    page.wait_for_function(
        "() => { const w = document.querySelector('.workspace'); return w && !w.dataset.before; }"
    )
    page.locator(".console-entry", has_text="deployment.apps/web scaled").wait_for(timeout=10_000)
    assert "kind: Deployment" in page.evaluate(
        "document.querySelector('.ws-editor .CodeMirror').CodeMirror.getValue()"
    )

    # History (↑) brings back the last command.
    page.click("#console-input")
    page.press("#console-input", "ArrowUp")
    assert page.input_value("#console-input") == "kubectl scale deployment web --replicas=3"
    page.click("text=화면 지우기")
    assert page.locator(".console-entry").count() == 0


@pytest.mark.browser
@pytest.mark.worker
def test_student_grades_a_dockerfile_lab_from_the_file_editor(
    celery_worker_proc, live_server, browser_page, settings
):
    """A no-cluster lab: one editor per expected file, 채점하기 posts the files, results swap in."""
    sync_labs(settings.CONTENT_DIR)
    lab = Lab.objects.get(slug="dockerfile-http-server")
    solution = (Path(settings.CONTENT_DIR) / "labs" / lab.slug / "solution.Dockerfile").read_text()
    User.objects.create_user("dahye", password="pw-dahye-1234")
    page = browser_page
    login_through_form(page, live_server.url, "dahye", "pw-dahye-1234")
    page.goto(f"{live_server.url}/labs/{lab.slug}/")
    page.wait_for_selector(".file-lab .CodeMirror")
    assert "FROM python:latest" in page.evaluate(
        "document.querySelector('.file-lab .CodeMirror').CodeMirror.getValue()"
    )

    # The starter file as it is: partial credit, with the failed checks explained.
    page.click(".file-lab button[type=submit]")
    page.wait_for_selector("#grading .submission[data-state=done]", timeout=30_000)
    earned, total = map(int, re.findall(r"\d+", page.locator("#grading .score").first.inner_text())[:2])
    assert earned < total
    assert page.locator("#grading .check-result.failed").count() >= 1
    shot(page, "file-1-partial")

    page.evaluate(
        "(text) => document.querySelector('.file-lab .CodeMirror').CodeMirror.setValue(text)", solution
    )
    previous = page.evaluate("document.querySelector('#grading .submission').id")
    page.click(".file-lab button[type=submit]")
    page.wait_for_function(
        "(old) => { const s = document.querySelector('#grading .submission');"
        " return s && s.id !== old && s.dataset.state === 'done'; }",
        arg=previous,
        timeout=30_000,
    )
    earned, total = map(int, re.findall(r"\d+", page.locator("#grading .score").first.inner_text())[:2])
    assert earned == total
    shot(page, "file-2-full-marks")
