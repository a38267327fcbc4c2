"""Labs in the course: the outline places them in their modules with the student's status,
lessons link the labs that practise them, and the home page shows where the student stands."""

import pytest

from labs.models import Lab, LabSession, Submission
from tests.labs.definitions import stored_check, stored_definition, stored_step


@pytest.fixture
def labs(db):
    def make(slug, title, lessons, order, points=10):
        return Lab.objects.create(
            slug=slug,
            title=title,
            order=order,
            scope="namespace",
            definition=stored_definition(
                steps=[stored_step("한 단계", checks=[stored_check("c", points=points)])], lessons=lessons
            ),
        )

    return {
        "pods": make("pods-lab", "파드 실습", ["first-lesson"], 1),
        "both": make("both-lab", "두 레슨 실습", ["first-lesson", "second-lesson"], 2),
        "deep": make("deep-lab", "심화 실습", ["third-lesson"], 3),
    }


def graded(user, lab, score):
    Submission.objects.create(user=user, lab=lab, state=Submission.State.DONE, score=score, max_score=10)


def test_the_outline_shows_each_lab_after_the_last_lesson_it_practises(student_client, course, labs):
    html = student_client.get("/courses/test-course/").content.decode()
    first, second, third = (html.index(t) for t in ("첫 레슨", "둘째 레슨", "셋째 레슨"))
    assert (
        first
        < html.index("파드 실습")
        < second
        < html.index("두 레슨 실습")
        < third
        < html.index("심화 실습")
    )
    assert "시작 전" in html


def test_the_outline_shows_lab_status_done_in_progress_and_best(student_client, student, course, labs):
    graded(student, labs["pods"], 10)
    graded(student, labs["both"], 4)
    LabSession.objects.create(user=student, lab=labs["deep"], state=LabSession.State.READY)
    html = student_client.get("/courses/test-course/").content.decode()
    assert 'data-lab="pods-lab"' in html
    segment = html[html.index('data-lab="pods-lab"') :]
    assert "완료" in segment[:600]
    assert "최고 4/10점" in html and "진행 중" in html


def test_only_the_module_the_student_is_in_starts_open(student_client, course, labs):
    html = student_client.get("/courses/test-course/").content.decode()
    assert html.count('<details class="module-details" open>') == 1
    assert html.count('<details class="module-details">') == 1


def test_a_lesson_links_the_labs_that_practise_it(student_client, course, labs):
    html = student_client.get("/courses/test-course/first-lesson/").content.decode()
    assert "직접 해 보기" in html and "/labs/pods-lab/" in html and "/labs/both-lab/" in html
    assert "/labs/deep-lab/" not in html


def test_the_lab_page_links_back_to_its_lessons(student_client, course, labs):
    html = student_client.get("/labs/both-lab/").content.decode()
    assert "/courses/test-course/first-lesson/" in html and "/courses/test-course/second-lesson/" in html


def test_home_shows_lessons_and_labs_where_the_student_stands(student_client, student, course, labs):
    graded(student, labs["pods"], 10)
    graded(student, labs["both"], 3)
    html = student_client.get("/").content.decode()
    assert 'id="my-standing"' in html
    assert "1 / 3" in html  # labs finished with full marks
    assert "0 / 3" in html  # lessons completed
    assert "두 레슨 실습" in html  # started but not finished


def test_home_for_a_visitor_has_no_standing(client, course, labs):
    assert 'id="my-standing"' not in client.get("/").content.decode()


def test_a_cached_outline_shows_a_new_lab_result_at_once(student_client, student, course, labs):
    url = "/courses/test-course/"
    assert "최고 4/10점" not in student_client.get(url).content.decode()
    student_client.get(url)  # now served from the page cache
    graded(student, labs["both"], 4)
    assert "최고 4/10점" in student_client.get(url).content.decode()
    LabSession.objects.create(user=student, lab=labs["deep"], state=LabSession.State.READY)
    assert "진행 중" in student_client.get(url).content.decode()
