from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course, Lesson, Module
from courses.services import progress


def _catalog_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/courses/").status_code == 200
    return len(queries)


def test_course_cards_show_each_students_own_progress(student_client, student, other_student, lesson):
    progress.complete(student, lesson)
    for other in Lesson.objects.all():
        progress.complete(other_student, other)
    page = student_client.get("/courses/").content.decode()
    assert "3개 레슨 중 1개 완료 · 33%" in page


def test_course_cards_cost_the_same_queries_however_many_courses(student_client, course):
    one = _catalog_queries(student_client)
    second = Course.objects.create(slug="second-course", title="둘째 강좌")
    module = Module.objects.create(course=second, slug="m", title="모듈")
    Lesson.objects.create(course=second, module=module, slug="l", title="레슨", source="")
    page = student_client.get("/courses/").content.decode()
    assert "둘째 강좌" in page and "1개 레슨 중 0개 완료 · 0%" in page
    assert _catalog_queries(student_client) == one
