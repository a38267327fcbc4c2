from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Lesson, LessonProgress


def test_the_lesson_page_shows_toc_objectives_quiz_and_navigation(student_client, lesson):
    response = student_client.get("/courses/test-course/second-lesson/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>둘째 레슨</h1>" in html
    assert "학습 목표" in html and "첫째 목표" in html
    assert 'class="toc"' in html and 'href="#소개"' in html
    assert 'hx-post="/courses/test-course/second-lesson/quiz/q1/"' in html
    assert "학습 완료" in html
    assert 'href="/courses/test-course/first-lesson/"' in html  # previous
    assert 'href="/courses/test-course/third-lesson/"' in html  # next, across modules
    assert "심화" in html  # next lesson's module
    assert "레슨 2 / 3" in html


def test_visiting_records_where_the_student_is(student_client, student, lesson):
    student_client.get("/courses/test-course/first-lesson/")
    assert LessonProgress.objects.get(user=student, lesson=lesson).last_visited_at is not None


def test_anonymous_users_are_redirected_to_login(client, lesson):
    response = client.get("/courses/test-course/first-lesson/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/courses/test-course/first-lesson/"


def test_the_catalog_and_course_outline_are_public(client, course):
    assert "테스트 강좌" in client.get("/courses/").content.decode()
    page = client.get("/courses/test-course/").content.decode()
    assert "첫 레슨" in page and "심화" in page


def test_unpublished_and_draft_lessons_are_not_found(student_client, course):
    Lesson.objects.filter(slug="third-lesson").update(status=Lesson.Status.ARCHIVED)
    Lesson.objects.filter(slug="second-lesson").update(status=Lesson.Status.DRAFT)
    assert student_client.get("/courses/test-course/third-lesson/").status_code == 404
    assert student_client.get("/courses/test-course/second-lesson/").status_code == 404
    assert "둘째 레슨" not in student_client.get("/courses/test-course/").content.decode()


def test_an_unknown_course_or_lesson_is_a_404(student_client, course):
    assert student_client.get("/courses/nope/").status_code == 404
    assert student_client.get("/courses/test-course/nope/").status_code == 404


def test_the_lesson_page_uses_a_handful_of_queries(student_client, lesson):
    student_client.get("/courses/test-course/first-lesson/")
    with CaptureQueriesContext(connection) as queries:
        assert student_client.get("/courses/test-course/first-lesson/").status_code == 200
    assert len(queries) <= 9, [q["sql"] for q in queries]


def test_the_hello_view_answers_hello(client, db):
    response = client.get("/hello/")
    assert response.status_code == 200 and response.content == b"hello"


def test_a_cached_page_reflects_the_students_answers_and_completion_at_once(
    htmx_client, student_client, lesson
):
    url = "/courses/test-course/first-lesson/"
    assert "오답입니다" not in student_client.get(url).content.decode()
    assert student_client.get(url).status_code == 200  # now served from the page cache
    htmx_client.post(f"{url}quiz/q1/", {"choice": "b"})
    page = student_client.get(url).content.decode()
    assert "오답입니다" in page
    htmx_client.post(f"{url}complete/")
    assert "이 레슨을 마쳤습니다" in student_client.get(url).content.decode()


def test_a_cached_page_reflects_a_published_edit(student_client, lesson):
    from courses.services import authoring

    from .conftest import lesson_text

    url = "/courses/test-course/first-lesson/"
    student_client.get(url)
    student_client.get(url)
    authoring.publish(lesson, lesson_text("고친 제목"))
    assert "<h1>고친 제목</h1>" in student_client.get(url).content.decode()


def test_one_students_cached_page_is_never_served_to_another(client, student, other_student, lesson):
    from courses.services import progress

    progress.complete(student, lesson)
    client.force_login(student)
    url = "/courses/test-course/first-lesson/"
    client.get(url)
    assert "이 레슨을 마쳤습니다" in client.get(url).content.decode()
    client.force_login(other_student)
    page = client.get(url).content.decode()
    assert "이 레슨을 마쳤습니다" not in page and "other" in page


def test_a_cached_page_is_not_served_after_logging_out(student_client, lesson):
    url = "/courses/test-course/first-lesson/"
    student_client.get(url)
    assert student_client.get(url).status_code == 200  # cached
    student_client.post("/accounts/logout/")
    response = student_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
