"""axe-core on the main pages: no serious or critical WCAG violations; keyboard basics."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from accounts.roles import make_instructor
from courses.content.sync import sync_courses
from courses.models import Lesson
from labs.content import sync_labs
from tests.browser.axe import axe_violations, describe
from tests.browser_fixtures import login_through_form


@pytest.fixture
def site(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    sync_courses(settings.CONTENT_DIR)
    sync_labs(settings.CONTENT_DIR)
    User.objects.create_user("sora", password="pw-sora-1234")
    make_instructor(User.objects.create_user("teacher", password="pw-teacher-1234"))


def check(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = axe_violations(page)
    assert not found, f"{url}\n{describe(found)}"


@pytest.mark.browser
def test_student_pages_have_no_serious_axe_violations(site, live_server, new_page):
    lesson = Lesson.objects.published().select_related("course").first()
    for width, height in ((1366, 900), (390, 844)):
        page = new_page(width, height)
        check(page, f"{live_server.url}/accounts/login/")
        login_through_form(page, live_server.url, "sora", "pw-sora-1234")
        for path in (
            "/",
            "/courses/",
            lesson.course.get_absolute_url(),
            lesson.get_absolute_url(),
            "/labs/",
            "/labs/deployment-scaling/",
            "/labs/dockerfile-http-server/",
        ):
            check(page, live_server.url + path)


@pytest.mark.browser
def test_instructor_pages_have_no_serious_axe_violations(site, live_server, new_page):
    page = new_page(1366, 900)
    login_through_form(page, live_server.url, "teacher", "pw-teacher-1234")
    lesson = Lesson.objects.first()
    for path in (
        "/instructor/",
        "/instructor/lessons/",
        f"/instructor/lessons/{lesson.pk}/",
        "/labs/gradebook/",
    ):
        check(page, live_server.url + path)


@pytest.mark.browser
def test_the_skip_link_comes_first_and_jumps_to_the_content(site, live_server, new_page):
    page = new_page(1366, 900)
    login_through_form(page, live_server.url, "sora", "pw-sora-1234")
    page.goto(f"{live_server.url}/courses/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "본문으로 건너뛰기"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-48px"  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.browser
def test_esc_releases_the_authoring_editor_to_its_buttons(site, live_server, new_page):
    page = new_page(1366, 900)
    login_through_form(page, live_server.url, "teacher", "pw-teacher-1234")
    page.goto(f"{live_server.url}/instructor/lessons/{Lesson.objects.first().pk}/")
    page.click(".editor .CodeMirror")
    page.keyboard.press("Tab")  # indents inside the editor
    assert page.evaluate("document.activeElement.closest('.CodeMirror') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent.trim()") == "초안 저장"
    assert page.locator(".CodeMirror-linenumber", has_text="1").first.is_visible()
