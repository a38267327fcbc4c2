"""The course page: no query per lesson, cached per student, never pointing at an old lesson."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Lesson

URL = "/courses/test-course/"


def queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_course_page_costs_no_query_per_lesson(student_client, course):
    first, _ = queries(student_client)
    module = course.modules.first()
    for i in range(10):
        Lesson.objects.create(course=course, module=module, slug=f"more-{i}", title=f"더 {i}", source="")
    from courses.services import page_cache

    page_cache.forget_content_version()
    course.save()  # a content change: the cached page is missed, rendered again
    page_cache.forget_content_version()
    more, body = queries(student_client)
    assert "더 9" in body
    assert more <= first + 1


def test_a_reload_is_served_from_the_students_own_cached_page(student_client, course):
    queries(student_client)  # sets the CSRF cookie the page embeds a token for
    queries(student_client)  # rendered and cached
    again, body = queries(student_client)
    assert again <= 1  # only the "which lesson did they open last" lookup
    assert "첫 레슨 시작하기" in body


def test_the_continue_button_follows_the_lesson_opened_last_even_when_cached(student_client, course):
    queries(student_client)
    queries(student_client)
    student_client.get("/courses/test-course/second-lesson/")
    _, body = queries(student_client)
    assert (
        "이어서 학습하기" in body
        and "/courses/test-course/second-lesson/" in body.split("이어서 학습하기")[0]
    )


def test_another_student_never_gets_this_students_cached_page(
    student_client, client, student, other_student, course
):
    student_client.get("/courses/test-course/first-lesson/")
    queries(student_client)
    _, mine = queries(student_client)
    assert "이어서 학습하기" in mine
    client.force_login(other_student)
    _, theirs = queries(client)
    assert "첫 레슨 시작하기" in theirs and "이어서 학습하기" not in theirs
