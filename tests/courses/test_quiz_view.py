from courses.models import Lesson, QuizAnswer


def url(key, lesson="first-lesson"):
    return f"/courses/test-course/{lesson}/quiz/{key}/"


def test_a_correct_answer_returns_the_question_card_with_the_explanation(htmx_client, lesson):
    response = htmx_client.post(url("q1"), {"choice": "a"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="q-q1"' in html and "is-correct" in html
    assert "정답입니다" in html
    assert "가장 작은 단위입니다" in html  # the explanation
    assert "<html" not in html  # a fragment, swapped in by htmx


def test_a_first_wrong_answer_gets_a_nudge_not_the_explanation(htmx_client, lesson):
    html = htmx_client.post(url("q2"), {"choice": ["a", "c"]}).content.decode()
    assert "오답입니다" in html and "is-wrong" in html
    assert "kubelet은 워커 노드에서 동작합니다." not in html
    assert 'class="nudge"' in html and "정답은" in html
    assert "choice right" not in html and "choice wrong" not in html  # which was right stays hidden


def test_a_second_wrong_answer_shows_the_full_explanation(htmx_client, lesson):
    htmx_client.post(url("q2"), {"choice": ["a", "c"]})
    html = htmx_client.post(url("q2"), {"choice": ["a"]}).content.decode()
    assert "오답입니다" in html
    assert "kubelet은 워커 노드에서 동작합니다." in html and 'class="nudge"' not in html


def test_a_short_answer_is_graded_inline(htmx_client, lesson):
    html = htmx_client.post(url("q3"), {"answer": " pod "}).content.decode()
    assert "정답입니다" in html


def test_answers_show_again_when_the_lesson_is_reopened(htmx_client, student_client, lesson):
    htmx_client.post(url("q1"), {"choice": "b"})
    html = student_client.get("/courses/test-course/first-lesson/").content.decode()
    assert "오답입니다" in html and "다시 제출" in html


def test_an_unknown_choice_id_gets_a_korean_400(htmx_client, lesson):
    response = htmx_client.post(url("q1"), {"choice": "zz"})
    assert response.status_code == 400
    assert "이 문항에 없는 선택지입니다" in response.content.decode()
    assert not QuizAnswer.objects.exists()


def test_a_choice_from_another_lesson_is_refused(htmx_client, lesson, course):
    # q2 of this lesson has choice "c"; q1 has only a/b: sending "c" to q1 is foreign.
    response = htmx_client.post(url("q1"), {"choice": "c"})
    assert response.status_code == 400
    assert "없는 선택지" in response.content.decode()


def test_an_unknown_question_id_is_a_404(htmx_client, lesson):
    response = htmx_client.post(url("q99"), {"choice": "a"})
    assert response.status_code == 404
    assert "이 레슨에 없는 문항입니다" in response.content.decode()


def test_a_question_of_another_lesson_cannot_be_answered_through_this_lesson(htmx_client, student, course):
    other = course.lessons.get(slug="second-lesson").questions.get(key="q1")
    response = htmx_client.post(f"/courses/test-course/first-lesson/quiz/{other.pk}/", {"choice": "a"})
    assert response.status_code == 404
    # Both lessons have a "q1": the URL's lesson decides which one is answered.
    htmx_client.post(url("q1"), {"choice": "a"})
    assert QuizAnswer.objects.get(user=student).question.lesson.slug == "first-lesson"


def test_a_question_of_an_unpublished_lesson_is_a_404(htmx_client, course):
    Lesson.objects.filter(slug="second-lesson").update(status=Lesson.Status.DRAFT)
    response = htmx_client.post(url("q1", lesson="second-lesson"), {"choice": "a"})
    assert response.status_code == 404
    assert not QuizAnswer.objects.exists()


def test_an_empty_submission_gets_a_korean_message(htmx_client, lesson):
    response = htmx_client.post(url("q2"), {})
    assert response.status_code == 400
    assert "선택지를 하나 이상 골라 주세요." in response.content.decode()


def test_without_htmx_it_redirects_back_to_the_question(student_client, lesson):
    response = student_client.post(url("q1"), {"choice": "a"})
    assert response.status_code == 302
    assert response["Location"] == "/courses/test-course/first-lesson/#q-q1"


def test_without_htmx_a_bad_answer_is_a_korean_400_page(student_client, lesson):
    response = student_client.post(url("q1"), {"choice": "zz"})
    assert response.status_code == 400
    assert "이 문항에 없는 선택지입니다" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, lesson):
    response = client.post(url("q1"), {"choice": "a"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not QuizAnswer.objects.exists()


def test_get_is_not_allowed(student_client, lesson):
    assert student_client.get(url("q1")).status_code == 405
