from courses.services import progress, quiz


def test_the_overview_lists_each_students_completion_and_quiz_score(
    instructor_client, student, other_student, course
):
    first = course.lessons.get(slug="first-lesson")
    progress.complete(student, first)
    progress.complete(student, course.lessons.get(slug="third-lesson"))
    q1, q2 = first.questions.get(key="q1"), first.questions.get(key="q2")
    quiz.submit(student, q1, ["a"], "")
    quiz.submit(student, q2, ["a"], "")
    quiz.submit(other_student, q1, ["a"], "")
    response = instructor_client.get("/instructor/")
    assert response.status_code == 200
    rows = {row.user.username: row for row in response.context["overview"]["rows"]}
    assert set(rows) == {"student", "other"}  # the instructor is not a student
    assert (rows["student"].completed, rows["student"].answered, rows["student"].correct) == (2, 2, 1)
    assert (rows["other"].completed, rows["other"].correct) == (0, 1)
    assert [n for _, n in rows["student"].modules] == [1, 1]
    assert rows["student"].last_seen is not None and rows["other"].last_seen is None
    html = response.content.decode()
    assert "수강생 현황" in html and "2 / 3" in html and "1 / 9" in html


def test_students_cannot_see_the_class_overview(student_client, course):
    response = student_client.get("/instructor/")
    assert response.status_code == 403
    assert "강사만 사용할 수 있는 기능입니다." in response.content.decode()


def test_anonymous_users_are_redirected_to_login(client, course):
    response = client.get("/instructor/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
