"""Lab list and lab page."""

from django.urls import reverse

from labs.models import Lab, Submission
from tests.labs.definitions import stored_definition, stored_step


def test_lab_list_shows_title_scope_time_limit_and_no_score_yet(student_client, lab):
    response = student_client.get(reverse("labs-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "디플로이먼트와 스케일링" in body
    assert "네임스페이스" in body and "제한 시간 30분" in body
    assert "아직 채점 전" in body
    assert reverse("labs-detail", args=[lab.slug]) in body


def test_lab_list_shows_each_labs_own_best_score_of_this_student_only(
    student_client, student, other_student, lab, django_assert_max_num_queries
):
    second = Lab.objects.create(slug="svc-basics", title="서비스 기초", scope=Lab.Scope.NAMESPACE)
    done = Submission.State.DONE
    Submission.objects.create(user=student, lab=lab, state=done, score=1)
    Submission.objects.create(user=student, lab=lab, state=done, score=2)
    Submission.objects.create(user=student, lab=lab, state=Submission.State.QUEUED, score=0)
    Submission.objects.create(user=other_student, lab=second, state=done, score=7)
    with django_assert_max_num_queries(5):
        body = student_client.get(reverse("labs-list")).content.decode()
    assert "최고 2/2점" in body
    assert "최고 7" not in body and "아직 채점 전" in body  # the other lab: only someone else's score


def test_unpublished_labs_are_not_listed_or_shown(student_client, lab):
    Lab.objects.filter(pk=lab.pk).update(is_published=False)
    assert "디플로이먼트와 스케일링" not in student_client.get(reverse("labs-list")).content.decode()
    assert student_client.get(reverse("labs-detail", args=[lab.slug])).status_code == 404


def test_lab_pages_require_login(client, lab):
    assert client.get(reverse("labs-list")).status_code == 302
    assert client.get(reverse("labs-detail", args=[lab.slug])).status_code == 302


def test_top_navigation_links_to_the_labs(student_client, lab):
    body = student_client.get(reverse("labs-list")).content.decode()
    assert f'href="{reverse("labs-list")}">실습</a>' in body


def test_lab_page_shows_rendered_steps_and_loads_the_session_panel(student_client, lab):
    body = student_client.get(reverse("labs-detail", args=[lab.slug])).content.decode()
    assert "Deployment 만들기" in body
    assert "<p>web을 만드세요.</p>" in body
    assert f'hx-get="{reverse("labs-session-panel", args=[lab.slug])}"' in body
    assert "codemirror-5.65.20/codemirror.js" in body


def test_step_instructions_are_shown_as_the_loader_sanitised_them(student_client, lab):
    from labs.content.lab_format import render_markdown

    html = render_markdown("<script>alert(1)</script>\n\n**굵게** 쓰세요")
    lab.definition = stored_definition(steps=[stored_step(instructions="x", instructions_html=html)])
    lab.save()
    body = student_client.get(reverse("labs-detail", args=[lab.slug])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<strong>굵게</strong>" in body


def test_file_lab_shows_one_editor_per_expected_file_instead_of_a_sandbox(student_client, db):
    lab = Lab.objects.create(
        slug="dockerfile-basics",
        title="Dockerfile 작성",
        scope=Lab.Scope.NONE,
        definition=stored_definition(
            steps=[stored_step(title="작성", instructions="작성하세요")],
            files=[
                {"name": "Dockerfile", "kind": "dockerfile", "starter": "FROM python:3.13-slim\n"},
                {"name": "compose.yaml", "kind": "compose", "starter": ""},
            ],
        ),
    )
    body = student_client.get(reverse("labs-detail", args=[lab.slug])).content.decode()
    assert body.count('class="file-editor"') == 2
    assert 'data-mode="dockerfile"' in body and 'data-mode="yaml"' in body
    assert "FROM python:3.13-slim" in body
    assert "labs-session-panel" not in body and "/session/" not in body
    assert "채점하기" in body


def test_sandbox_provider_page_is_not_shadowed_by_lab_pages(student_client):
    assert reverse("labs-sandbox-providers") == "/labs/sandbox-providers/"
    response = student_client.get("/labs/sandbox-providers/")
    assert response.resolver_match.url_name == "labs-sandbox-providers"


def _lesson_in(course_published: bool, module_published: bool, slug: str):
    from courses.models import Course, Lesson, Module

    course = Course.objects.create(slug=f"course-{slug}", title=f"강좌 {slug}", is_published=course_published)
    module = Module.objects.create(course=course, slug="m", title="모듈", is_published=module_published)
    return Lesson.objects.create(course=course, module=module, slug=slug, title=f"레슨 {slug}", source="")


def test_the_lab_page_links_only_lessons_a_student_can_open(student_client, lab):
    open_lesson = _lesson_in(True, True, "pods")
    _lesson_in(True, False, "hidden-module")
    _lesson_in(False, True, "hidden-course")
    lab.definition = stored_definition(
        steps=[stored_step()], lessons=["hidden-module", "pods", "hidden-course"]
    )
    lab.save()
    body = student_client.get(reverse("labs-detail", args=[lab.slug])).content.decode()
    assert open_lesson.get_absolute_url() in body
    assert "레슨 hidden-module" not in body and "레슨 hidden-course" not in body
    # Every lesson the page links answers.
    assert student_client.get(open_lesson.get_absolute_url()).status_code == 200


def test_staff_preview_an_unpublished_lab_with_the_reason_students_see_nothing(
    student_client, lab, django_user_model
):
    from django.test import Client

    Lab.objects.filter(pk=lab.pk).update(is_published=False)
    admin = django_user_model.objects.create_user("admin", password="pw-admin-1234", is_staff=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("labs-detail", args=[lab.slug]))
    assert page.status_code == 200 and "관리자 미리 보기" in page.content.decode()
    assert "비공개 (관리자 미리 보기)" in client.get(reverse("labs-list")).content.decode()
    for name in ("labs-detail", "labs-session-panel", "labs-submission-history"):
        assert student_client.get(reverse(name, args=[lab.slug])).status_code == 404, name
        assert client.get(reverse(name, args=[lab.slug])).status_code == 200, name
