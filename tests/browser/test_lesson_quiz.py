"""A student reads a lesson in Chromium: log in, answer the quiz inline, complete it."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from courses.content.sync import sync_courses
from tests.browser_fixtures import login_through_form, screenshot, submit_login_form
from tests.courses.conftest import write_tree


@pytest.fixture
def page(new_page):
    page = new_page(1400, 1000)
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def fixture_course(transactional_db, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    sync_courses(write_tree(tmp_path / "content"))
    User.objects.create_user("minji", password="kube-learn-2026!")


def progress_width(page) -> float:
    style = page.locator("#course-progress .progress > span").get_attribute("style")
    width = re.search(r"width:\s*([\d.]+)%", style or "")
    assert width, style
    return float(width.group(1))


@pytest.mark.browser
def test_a_student_answers_the_quiz_inline_and_completes_the_lesson(page, live_server, fixture_course):
    lesson_url = f"{live_server.url}/courses/test-course/first-lesson/"

    # Lessons need a login: the login form sends the student back to the lesson.
    page.goto(lesson_url)
    assert "/accounts/login/" in page.url
    submit_login_form(page, "minji", "kube-learn-2026!")
    page.wait_for_url(lesson_url)
    assert page.locator("h1").inner_text() == "첫 레슨"
    assert progress_width(page) == 0

    # A marker that only survives if the page is never reloaded.
    page.evaluate("window.__noReload = 'still-here'")

    q1 = page.locator("#q-q1")
    q1.get_by_text("가장 작은 배포 단위").click()
    q1.get_by_role("button", name="제출").click()
    page.locator("#q-q1 .verdict").wait_for()
    assert "정답입니다" in page.locator("#q-q1 .verdict").inner_text()
    assert "가장 작은 단위입니다" in page.locator("#q-q1 .explanation").inner_text()
    assert "is-correct" in page.locator("#q-q1").get_attribute("class")

    q3 = page.locator("#q-q3")
    q3.locator("input[name=answer]").fill("노드")
    q3.get_by_role("button", name="제출").click()
    page.locator("#q-q3 .verdict").wait_for()
    assert "오답입니다" in page.locator("#q-q3 .verdict").inner_text()
    assert page.evaluate("window.__noReload") == "still-here"
    page.locator("#quiz").scroll_into_view_if_needed()
    screenshot(page, "lesson-quiz-answered")

    page.get_by_role("button", name="학습 완료").click()
    page.locator("#lesson-completion .badge").wait_for()
    page.wait_for_function(
        "document.querySelector('#course-progress .progress-figure').textContent === '33%'"
    )
    assert progress_width(page) == 33
    assert page.evaluate("window.__noReload") == "still-here"
    screenshot(page, "lesson-completed")

    # The course page shows the same progress, per module too.
    page.goto(f"{live_server.url}/courses/test-course/")
    assert progress_width(page) == 33
    assert page.locator("[data-module=basics]").inner_text().strip().endswith("1 / 2")
    screenshot(page, "course-progress", full_page=True)


@pytest.mark.browser
def test_an_instructor_sees_the_live_preview_and_its_errors(page, live_server, fixture_course):
    from accounts.roles import make_instructor
    from courses.models import Lesson

    make_instructor(User.objects.create_user("teacher", password="teach-kube-2026!"))
    lesson = Lesson.objects.get(slug="first-lesson")
    login_through_form(
        page, live_server.url, "teacher", "teach-kube-2026!", next_path=f"/instructor/lessons/{lesson.pk}/"
    )
    page.locator("#preview h1").wait_for()
    # The preview can arrive before the editor script has replaced the textarea (a loaded machine).
    page.locator(".editor .CodeMirror").wait_for()
    # The source is edited in CodeMirror (line numbers); type through its API as a paste would.
    edit = (
        "([a, b]) => { const cm = document.querySelector('.editor .CodeMirror').CodeMirror;"
        " cm.setValue(cm.getValue().replace(a, b)); }"
    )

    page.evaluate(edit, ["title: 첫 레슨", "title: 고친 첫 레슨"])
    page.wait_for_function("document.querySelector('#preview h1')?.textContent === '고친 첫 레슨'")
    page.evaluate(edit, ["minutes: 7", "minutes: 일곱"])
    page.locator("#preview .form-errors").wait_for()
    assert "4행: minutes는" in page.locator("#preview .form-errors").inner_text()
    # The line the error names is marked in the editor, next to its line number.
    page.locator(".editor .cm-error-line").first.wait_for()
    assert "minutes: 일곱" in page.locator(".editor .CodeMirror-line", has_text="minutes").inner_text()
    screenshot(page, "lesson-editor-preview")
    assert Lesson.objects.get(pk=lesson.pk).title == "첫 레슨"  # a preview saves nothing
