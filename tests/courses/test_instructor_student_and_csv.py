"""From the class overview: each student's own page, and the table as CSV."""

import csv
import io

from courses.services import progress, quiz


def test_the_overview_links_each_student_to_their_page(instructor_client, student, course):
    html = instructor_client.get("/instructor/").content.decode()
    assert f'href="/instructor/students/{student.pk}/?course=test-course"' in html
    assert 'href="/instructor/class.csv?course=test-course"' in html


def test_a_students_page_shows_lessons_quiz_answers_and_labs(instructor_client, student, course):
    first = course.lessons.get(slug="first-lesson")
    progress.complete(student, first)
    quiz.submit(student, first.questions.get(key="q1"), ["a"], "")
    response = instructor_client.get(f"/instructor/students/{student.pk}/?course=test-course")
    assert response.status_code == 200
    html = response.content.decode()
    assert "student 학습 현황" in html and "레슨 3개 중 1개 완료" in html
    assert "첫 레슨" in html and "1 / 1" in html


def test_a_student_cannot_open_another_students_page(student_client, other_student, course):
    assert student_client.get(f"/instructor/students/{other_student.pk}/").status_code == 403


def test_an_unknown_student_is_a_404(instructor_client, course):
    assert instructor_client.get("/instructor/students/999999/").status_code == 404


def test_the_class_table_downloads_as_csv_with_korean_headers(
    instructor_client, student, other_student, course
):
    progress.complete(student, course.lessons.get(slug="first-lesson"))
    response = instructor_client.get("/instructor/class.csv?course=test-course")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["학생", "레슨 완료", "레슨 수"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"student", "other"}
    assert by_name["student"][1:3] == ["1", "3"]


def test_students_cannot_download_the_csv(student_client, course):
    assert student_client.get("/instructor/class.csv").status_code == 403
