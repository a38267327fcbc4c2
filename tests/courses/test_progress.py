from courses.models import Lesson, LessonProgress
from courses.services import progress


def test_completing_a_lesson_moves_the_course_progress_bar(htmx_client, student_client, student, lesson):
    page = student_client.get("/courses/test-course/").content.decode()
    assert "0%" in page
    response = htmx_client.post("/courses/test-course/first-lesson/complete/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "학습 완료" in html
    assert 'id="course-progress" hx-swap-oob="true"' in html
    assert "33%" in html  # one of three lessons
    assert LessonProgress.objects.get(user=student, lesson=lesson).completed_at is not None
    page = student_client.get("/courses/test-course/").content.decode()
    assert "<strong>33%</strong>" in page
    assert "1 / 2" in page  # the first module's bar


def test_completing_twice_keeps_the_first_completion_time(student_client, student, lesson):
    student_client.post("/courses/test-course/first-lesson/complete/")
    first = LessonProgress.objects.get(user=student, lesson=lesson).completed_at
    response = student_client.post("/courses/test-course/first-lesson/complete/")
    assert response.status_code == 302
    assert LessonProgress.objects.get(user=student, lesson=lesson).completed_at == first


def test_a_student_never_sees_another_students_progress(student_client, other_student, course):
    for lesson in course.lessons.all():
        progress.complete(other_student, lesson)
    page = student_client.get("/courses/test-course/").content.decode()
    assert "<strong>0%</strong>" in page
    assert "other" not in page


def test_continue_learning_takes_a_returning_student_to_the_lesson_they_left(student_client, student, course):
    assert "이어서 학습하기" not in student_client.get("/").content.decode()
    student_client.get("/courses/test-course/second-lesson/")
    home = student_client.get("/").content.decode()
    assert "이어서 학습하기" in home
    assert 'href="/courses/test-course/second-lesson/" id="continue-learning"' in home


def test_continue_learning_goes_to_the_next_unfinished_lesson_after_a_completed_one(
    student_client, student, course
):
    student_client.get("/courses/test-course/first-lesson/")
    student_client.post("/courses/test-course/first-lesson/complete/")
    target = progress.continue_target(student)
    assert target.slug == "second-lesson"
    progress.complete(student, course.lessons.get(slug="second-lesson"))
    progress.complete(student, course.lessons.get(slug="first-lesson"))
    student_client.get("/courses/test-course/second-lesson/")
    assert progress.continue_target(student).slug == "third-lesson"


def test_continue_learning_skips_unpublished_lessons(student_client, student, course):
    student_client.get("/courses/test-course/third-lesson/")
    Lesson.objects.filter(slug="third-lesson").update(status=Lesson.Status.ARCHIVED)
    assert progress.continue_target(student) is None


def test_completion_needs_a_post_and_a_login(client, student_client, lesson):
    assert student_client.get("/courses/test-course/first-lesson/complete/").status_code == 405
    client.logout()
    response = client.post("/courses/test-course/first-lesson/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_continue_learning_skips_lessons_of_a_hidden_module_or_course(student, course):
    progress.record_visit(student.pk, course.lessons.get(slug="third-lesson").pk)
    course.modules.filter(slug="advanced").update(is_published=False)
    assert progress.continue_target(student) is None
    course.modules.filter(slug="advanced").update(is_published=True)
    assert progress.continue_target(student).slug == "third-lesson"
    type(course).objects.filter(pk=course.pk).update(is_published=False)
    assert progress.continue_target(student) is None
