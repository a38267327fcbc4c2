from django.contrib.auth.models import User

from courses.models import Course, Lesson, Module, Question

from .conftest import lesson_text


def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.com", "pw-admin-1234")
    client.force_login(user)
    return client


def test_every_courses_model_has_a_korean_admin_page(client, course, student):
    c = admin_client(client)
    index = c.get("/admin/").content.decode()
    for name in ("강좌", "모듈", "레슨", "퀴즈 문항", "학습 진도", "퀴즈 답안"):
        assert name in index
    for model in ("course", "module", "lesson", "question", "lessonprogress", "quizanswer"):
        assert c.get(f"/admin/courses/{model}/").status_code == 200
    lesson = course.lessons.first()
    assert c.get(f"/admin/courses/lesson/{lesson.pk}/change/").status_code == 200


def test_editing_a_lesson_source_in_the_admin_re_renders_it(client, course):
    c = admin_client(client)
    lesson = course.lessons.get(slug="first-lesson")
    form = {
        "course": course.pk,
        "module": lesson.module_id,
        "slug": lesson.slug,
        "order": 0,
        "status": "published",
        "source": lesson_text("관리자가 고친 제목", body="## 새 절\n"),
        "draft_source": "",
    }
    response = c.post(f"/admin/courses/lesson/{lesson.pk}/change/", form)
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "관리자가 고친 제목" and 'id="새-절"' in lesson.body_html
    form["source"] = "---\ntitle: [깨짐\n---\n"
    response = c.post(f"/admin/courses/lesson/{lesson.pk}/change/", form)
    assert response.status_code == 200 and "2행: YAML 문법 오류" in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).title == "관리자가 고친 제목"


def test_the_admin_refuses_a_module_from_another_course(client, course):
    c = admin_client(client)
    lesson = course.lessons.get(slug="first-lesson")
    other = Course.objects.create(slug="other-course", title="다른 강좌")
    foreign = Module.objects.create(course=other, slug="elsewhere", title="다른 모듈")
    form = {
        "course": course.pk,
        "module": foreign.pk,
        "slug": lesson.slug,
        "order": 0,
        "status": "published",
        "source": lesson.source,
        "draft_source": "",
    }
    response = c.post(f"/admin/courses/lesson/{lesson.pk}/change/", form)
    assert response.status_code == 200
    assert (
        "&#x27;다른 모듈&#x27; 모듈은 &#x27;테스트 강좌&#x27; 강좌에 속하지 않습니다."
        in response.content.decode()
    )
    assert Lesson.objects.get(pk=lesson.pk).module_id == lesson.module_id


def test_the_quiz_answer_list_costs_the_same_queries_for_one_or_many_rows(
    client, course, student, other_student
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.services import quiz

    c = admin_client(client)
    questions = list(Question.objects.exclude(kind=Question.Kind.SHORT))
    quiz.submit(student, questions[0], ["a"], "")
    with CaptureQueriesContext(connection) as one:
        assert c.get("/admin/courses/quizanswer/").status_code == 200
    for q in questions[2:5]:
        quiz.submit(other_student, q, ["a"], "")
    with CaptureQueriesContext(connection) as many:
        assert c.get("/admin/courses/quizanswer/").status_code == 200
    assert len(many) == len(one)
