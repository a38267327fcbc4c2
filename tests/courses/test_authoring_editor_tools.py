"""Authoring editor tools: line-numbered editor, the quiz previewed as students see it,
초안 버리기, and a confirmation before publishing."""

import pytest

from .conftest import lesson_text


@pytest.fixture
def edit_url(lesson):
    return f"/instructor/lessons/{lesson.pk}/"


def test_the_editor_loads_codemirror_and_asks_before_publishing(instructor_client, edit_url):
    html = instructor_client.get(edit_url).content.decode()
    assert "codemirror.js" in html and "js/authoring.js" in html
    assert 'value="publish"' in html and "공개할까요?" in html
    assert "초안 버리기" not in html  # nothing to discard yet


def test_the_preview_shows_the_quiz_like_the_lesson_page_with_answers_folded(instructor_htmx_client, lesson):
    response = instructor_htmx_client.post(
        f"/instructor/lessons/{lesson.pk}/preview/", {"source": lesson_text("첫 레슨")}
    )
    html = response.content.decode()
    assert html.count('class="quiz-card"') == 3
    assert "하나 고르기" in html and "단답형" in html
    assert "정답과 해설 (강사에게만 보임)" in html and "가장 작은 단위입니다" in html


def test_discarding_a_draft_returns_to_the_published_version(instructor_client, edit_url, lesson):
    instructor_client.post(edit_url, {"source": lesson_text("버릴 초안"), "action": "draft"})
    assert "초안 버리기" in instructor_client.get(edit_url).content.decode()
    response = instructor_client.post(edit_url, {"source": "", "action": "discard"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.draft_source == "" and lesson.title == "첫 레슨"
    html = instructor_client.get(edit_url).content.decode()
    assert "버릴 초안" not in html and "초안을 버렸습니다" in html


def test_students_cannot_discard_drafts(student_client, edit_url, lesson):
    lesson.draft_source = lesson_text("강사의 초안")
    lesson.save()
    assert student_client.post(edit_url, {"action": "discard"}).status_code == 403
    lesson.refresh_from_db()
    assert lesson.draft_source
