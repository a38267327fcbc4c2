import pytest

from courses.models import Lesson

from .conftest import lesson_text


@pytest.fixture
def edit_url(lesson):
    return f"/instructor/lessons/{lesson.pk}/"


def test_instructors_see_the_lesson_list(instructor_client, course):
    html = instructor_client.get("/instructor/lessons/").content.decode()
    assert "첫 레슨" in html and "셋째 레슨" in html


def test_the_editor_shows_the_whole_file_and_a_debounced_live_preview(instructor_client, edit_url, lesson):
    html = instructor_client.get(edit_url).content.decode()
    assert "title: 첫 레슨" in html
    assert 'hx-trigger="input changed delay:400ms"' in html
    assert f'hx-post="/instructor/lessons/{lesson.pk}/preview/"' in html


def test_the_preview_renders_markdown_without_saving(instructor_htmx_client, lesson):
    source = lesson_text("미리보기 제목", body="## 새 절\n\n```yaml\nkind: Pod\n```\n")
    response = instructor_htmx_client.post(f"/instructor/lessons/{lesson.pk}/preview/", {"source": source})
    assert response.status_code == 200
    html = response.content.decode()
    assert "미리보기 제목" in html and '<div class="highlight">' in html and "<html" not in html
    lesson.refresh_from_db()
    assert lesson.title == "첫 레슨"


def test_the_preview_reports_bad_front_matter_with_its_line(instructor_htmx_client, lesson):
    source = lesson_text("첫 레슨").replace("minutes: 7", "minutes: 일곱")
    response = instructor_htmx_client.post(f"/instructor/lessons/{lesson.pk}/preview/", {"source": source})
    assert response.status_code == 400
    assert "4행: minutes는 1 이상 600 이하의 정수(분)여야 합니다." in response.content.decode()


def test_saving_a_draft_keeps_students_on_the_published_version(instructor_client, edit_url, lesson):
    response = instructor_client.post(edit_url, {"source": lesson_text("초안 제목"), "action": "draft"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "첫 레슨" and "초안 제목" in lesson.draft_source
    assert "초안 제목" in instructor_client.get(edit_url).content.decode()


def test_publishing_updates_what_students_read(instructor_client, client, student, edit_url, lesson):
    source = lesson_text("공개된 새 제목", body="## 바뀐 절\n\n새 본문입니다.\n")
    response = instructor_client.post(edit_url, {"source": source, "action": "publish"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "공개된 새 제목" and lesson.status == Lesson.Status.PUBLISHED
    assert lesson.draft_source == ""
    client.force_login(student)
    assert "새 본문입니다." in client.get("/courses/test-course/first-lesson/").content.decode()


def test_malformed_front_matter_is_refused_with_a_korean_message_and_line(
    instructor_client, edit_url, lesson
):
    response = instructor_client.post(
        edit_url, {"source": "---\ntitle: [깨짐\n---\n본문", "action": "publish"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "저장하지 못했습니다" in html and "2행: YAML 문법 오류" in html
    lesson.refresh_from_db()
    assert lesson.title == "첫 레슨"


def test_a_bad_quiz_is_refused(instructor_client, edit_url, lesson):
    source = lesson_text("첫 레슨").replace("answers: [파드, Pod]", "answers: []")
    response = instructor_client.post(edit_url, {"source": source, "action": "publish"})
    assert response.status_code == 400
    assert "단답형(short) 문항에는 정답 목록(answers)이 필요합니다." in response.content.decode()


def test_a_two_megabyte_body_gets_a_korean_4xx_not_a_500(
    instructor_htmx_client, instructor_client, edit_url, lesson
):
    big = lesson_text("큰 레슨", body="가" * (2 * 1024 * 1024))
    response = instructor_client.post(edit_url, {"source": big, "action": "publish"})
    assert 400 <= response.status_code < 500
    assert "너무 큽니다" in response.content.decode()
    preview = instructor_htmx_client.post(f"/instructor/lessons/{lesson.pk}/preview/", {"source": big})
    assert 400 <= preview.status_code < 500 and "너무 큽니다" in preview.content.decode()
    lesson.refresh_from_db()
    assert lesson.title == "첫 레슨"


def test_a_body_just_under_the_request_limit_is_still_refused_politely(instructor_client, edit_url, lesson):
    response = instructor_client.post(edit_url, {"source": lesson_text("큰 레슨", body="a" * 400_000)})
    assert response.status_code == 400
    assert "레슨 원문이 너무 깁니다" in response.content.decode()


def test_students_get_403_on_every_authoring_page(student_client, edit_url, lesson):
    assert student_client.get("/instructor/lessons/").status_code == 403
    assert student_client.get(edit_url).status_code == 403
    response = student_client.post(edit_url, {"source": lesson_text("해킹"), "action": "publish"})
    assert response.status_code == 403
    assert (
        student_client.post(f"/instructor/lessons/{lesson.pk}/preview/", {"source": "x"}).status_code == 403
    )
    lesson.refresh_from_db()
    assert lesson.title == "첫 레슨"


def test_anonymous_users_are_sent_to_log_in(client, edit_url):
    response = client.get(edit_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_lesson_is_a_404(instructor_client, db):
    assert instructor_client.get("/instructor/lessons/999999/").status_code == 404


def test_a_two_megabyte_body_is_refused_in_korean_even_before_the_csrf_check(instructor, edit_url, lesson):
    # Outside the test client, CsrfViewMiddleware reads the body before the view does.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    client.get(edit_url)  # sets the CSRF cookie, as a browser would have it
    token = client.cookies["csrftoken"].value
    response = client.post(edit_url, {"source": "가" * (2 * 1024 * 1024)}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 413
    assert "보낸 내용이 너무 큽니다" in response.content.decode()


def test_nested_yaml_aliases_are_refused_at_once_instead_of_expanding(instructor_htmx_client, lesson):
    bomb = ["x0: &x0 [a, a, a, a, a, a, a, a, a]"]
    bomb += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, 9)]
    source = lesson_text("첫 레슨").replace("minutes: 7\n", "minutes: 7\n" + "\n".join(bomb) + "\n")
    response = instructor_htmx_client.post(f"/instructor/lessons/{lesson.pk}/preview/", {"source": source})
    assert response.status_code == 400
    assert "6행: YAML 문법 오류: 별칭(*이름)은 쓸 수 없습니다." in response.content.decode()


def test_an_id_that_yaml_reads_as_a_date_is_published_not_a_500(instructor_client, edit_url, lesson):
    source = lesson_text("첫 레슨").replace("  - id: q1", "  - id: 2024-01-01")
    response = instructor_client.post(edit_url, {"source": source, "action": "publish"})
    assert response.status_code == 302
    assert lesson.questions.filter(key="2024-01-01").exists()
