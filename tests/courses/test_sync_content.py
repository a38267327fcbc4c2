import io

import pytest
from django.core.management import CommandError, call_command

from courses.content.errors import ContentInvalid
from courses.content.sync import sync_courses
from courses.models import Course, Lesson, LessonProgress, Module, Question

from .conftest import COURSE_YAML, lesson_text


def test_it_loads_courses_modules_lessons_and_questions(course):
    assert course.title == "테스트 강좌"
    assert list(course.modules.values_list("slug", flat=True)) == ["basics", "advanced"]
    lessons = list(Lesson.objects.published().filter(course=course).values_list("slug", flat=True))
    assert lessons == ["first-lesson", "second-lesson", "third-lesson"]
    first = course.lessons.get(slug="first-lesson")
    assert first.title == "첫 레슨" and first.minutes == 7
    assert first.objectives == ["첫째 목표", "둘째 목표"]
    assert '<h2 id="소개">소개</h2>' in first.body_html
    assert 'href="#정리"' in first.toc_html
    kinds = list(first.questions.values_list("key", "kind"))
    assert kinds == [("q1", "single"), ("q2", "multiple"), ("q3", "short")]


def test_running_it_twice_changes_nothing(course, content_dir):
    before = {lesson.pk: lesson.updated_at for lesson in Lesson.objects.all()}
    course_updated = Course.objects.get().updated_at
    report = sync_courses(content_dir)
    assert not report.changed
    assert report.counts["레슨"]["변경 없음"] == 3
    assert report.counts["강좌"]["변경 없음"] == 1
    assert {lesson.pk: lesson.updated_at for lesson in Lesson.objects.all()} == before
    assert Course.objects.get().updated_at == course_updated


def test_the_command_reports_no_changes_on_the_second_run(db, content_dir):
    call_command("sync_content", "--dir", str(content_dir), stdout=io.StringIO())
    out = io.StringIO()
    call_command("sync_content", "--dir", str(content_dir), stdout=out)
    assert "레슨: 생성 0, 갱신 0, 변경 없음 3, 비공개 처리 0" in out.getvalue()


def test_an_edited_lesson_is_updated_and_its_answers_survive(course, content_dir, student):
    from courses.models import QuizAnswer

    q1 = Question.objects.get(lesson__slug="first-lesson", key="q1")
    QuizAnswer.objects.create(user=student, question=q1, answer=["a"], is_correct=True)
    path = content_dir / "courses/test-course/basics/first-lesson.md"
    path.write_text(lesson_text("첫 레슨 (개정)"), encoding="utf-8")
    report = sync_courses(content_dir)
    assert report.counts["레슨"]["갱신"] == 1 and report.counts["레슨"]["변경 없음"] == 2
    assert Lesson.objects.get(slug="first-lesson").title == "첫 레슨 (개정)"
    assert QuizAnswer.objects.filter(user=student, question=q1).exists()


def test_a_removed_lesson_is_unpublished_and_progress_survives(course, content_dir, student):
    lesson = course.lessons.get(slug="third-lesson")
    LessonProgress.objects.create(user=student, lesson=lesson, completed_at="2026-01-01T00:00:00Z")
    (content_dir / "courses/test-course/advanced/third-lesson.md").unlink()
    yaml_path = content_dir / "courses/test-course/course.yaml"
    yaml_path.write_text(
        COURSE_YAML.replace("    lessons: [third-lesson]\n", "    lessons: [second-lesson-b]\n")
    )
    (content_dir / "courses/test-course/advanced/second-lesson-b.md").write_text(lesson_text("대체 레슨"))
    report = sync_courses(content_dir)
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.ARCHIVED
    assert report.counts["레슨"]["비공개 처리"] == 1
    assert not Lesson.objects.published().filter(slug="third-lesson").exists()
    assert LessonProgress.objects.filter(user=student, lesson=lesson).exists()


def test_a_removed_module_is_hidden(course, content_dir):
    yaml_path = content_dir / "courses/test-course/course.yaml"
    yaml_path.write_text(COURSE_YAML.split("  - slug: advanced")[0])
    sync_courses(content_dir)
    assert not Module.objects.get(slug="advanced").is_published
    assert list(Lesson.objects.published().values_list("slug", flat=True)) == [
        "first-lesson",
        "second-lesson",
    ]


def test_a_lesson_that_comes_back_is_published_again(course, content_dir):
    lesson_path = content_dir / "courses/test-course/advanced/third-lesson.md"
    yaml_path = content_dir / "courses/test-course/course.yaml"
    text = lesson_path.read_text()
    lesson_path.unlink()
    yaml_path.write_text(
        COURSE_YAML.replace("    lessons: [third-lesson]\n", "    lessons: [first-lesson]\n")
    )
    with pytest.raises(ContentInvalid):  # first-lesson is listed twice now
        sync_courses(content_dir)
    yaml_path.write_text(COURSE_YAML.split("  - slug: advanced")[0])
    sync_courses(content_dir)
    assert Lesson.objects.get(slug="third-lesson").status == Lesson.Status.ARCHIVED
    yaml_path.write_text(COURSE_YAML)
    lesson_path.write_text(text)
    sync_courses(content_dir)
    assert Lesson.objects.get(slug="third-lesson").status == Lesson.Status.PUBLISHED


def _errors(content_dir) -> list[str]:
    with pytest.raises(ContentInvalid) as info:
        sync_courses(content_dir)
    return [str(e) for e in info.value.errors]


def test_a_yaml_syntax_error_is_reported_with_path_and_line_and_nothing_changes(course, content_dir):
    path = content_dir / "courses/test-course/basics/second-lesson.md"
    text = lesson_text("둘째 레슨 수정").replace("minutes: 7", "minutes: [7")
    path.write_text(text, encoding="utf-8")
    (content_dir / "courses/test-course/basics/first-lesson.md").write_text(lesson_text("바뀐 첫 레슨"))
    errors = _errors(content_dir)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:")
    line = int(errors[0].split(":")[1])
    assert 4 <= line <= 6, errors  # the broken flow list opens on line 4
    assert "YAML" in errors[0]
    # The valid edit to first-lesson was not applied either: all or nothing.
    assert Lesson.objects.get(slug="first-lesson").title == "첫 레슨"


def test_a_front_matter_key_written_twice_is_refused_at_its_second_line_naming_the_first(course, content_dir):
    # YAML keeps the last of two equal keys without a word; content files used to as well,
    # so an author never learnt which of their two titles was published.
    path = content_dir / "courses/test-course/basics/first-lesson.md"
    text = lesson_text("첫 레슨").replace("minutes: 7\n", "minutes: 7\ntitle: 다른 제목\n")
    path.write_text(text, encoding="utf-8")
    [error] = _errors(content_dir)
    second = text.split("\n").index("title: 다른 제목") + 1
    assert error.startswith(f"{path}:{second}: 키 'title'가 같은 매핑에 두 번 나옵니다 (2번째 줄과 이 줄)")
    assert Lesson.objects.get(slug="first-lesson").title == "첫 레슨"


def test_a_bad_field_points_at_the_line_of_its_key(course, content_dir):
    path = content_dir / "courses/test-course/basics/first-lesson.md"
    text = lesson_text("첫 레슨").replace("    type: multiple", "    type: several")
    path.write_text(text, encoding="utf-8")
    errors = _errors(content_dir)
    expected_line = text.split("\n").index("    type: several") + 1
    assert errors == [
        f"{path}:{expected_line}: 문항 유형(type)은 single, multiple, short 중 하나여야 합니다."
    ]


def test_a_single_choice_question_needs_exactly_one_correct_answer(course, content_dir):
    path = content_dir / "courses/test-course/basics/first-lesson.md"
    path.write_text(
        lesson_text("첫 레슨").replace(
            "{id: b, text: 노드의 다른 이름}", "{id: b, text: 노드, correct: true}"
        )
    )
    [error] = _errors(content_dir)
    assert "정답이 정확히 1개" in error and error.startswith(f"{path}:")


def test_missing_front_matter_and_missing_files_are_reported(course, content_dir):
    (content_dir / "courses/test-course/basics/first-lesson.md").write_text("# 앞머리 없음\n")
    (content_dir / "courses/test-course/advanced/third-lesson.md").unlink()
    errors = _errors(content_dir)
    assert any("first-lesson.md:1: 파일이 앞머리" in e for e in errors)
    missing = [e for e in errors if "레슨 파일이 없습니다" in e]
    assert missing and ":11:" in missing[0], missing  # line of `lessons: [third-lesson]`
    assert Lesson.objects.get(slug="third-lesson").status == Lesson.Status.PUBLISHED


def test_a_broken_course_yaml_is_reported_with_its_line(course, content_dir):
    yaml_path = content_dir / "courses/test-course/course.yaml"
    yaml_path.write_text(COURSE_YAML.replace("  - slug: advanced", "  - slug: Advanced Module"))
    [error] = _errors(content_dir)
    assert error.startswith(f"{yaml_path}:9:") and "kebab-case" in error


def test_duplicate_module_slugs_and_question_ids_are_reported_at_their_lines(course, content_dir):
    yaml_path = content_dir / "courses/test-course/course.yaml"
    yaml_path.write_text(COURSE_YAML.replace("  - slug: advanced", "  - slug: basics"))
    lesson_path = content_dir / "courses/test-course/basics/second-lesson.md"
    text = lesson_text("둘째 레슨").replace("  - id: q2", "  - id: q1")
    lesson_path.write_text(text, encoding="utf-8")
    errors = _errors(content_dir)
    assert f"{yaml_path}:9: 모듈 slug 'basics'가 중복되었습니다." in errors
    line = text.split("\n").index("  - id: q1", 10) + 1
    assert f"{lesson_path}:{line}: 문항 id 'q1'가 이 레슨 안에서 중복되었습니다." in errors


def test_the_command_prints_errors_and_fails(db, content_dir):
    path = content_dir / "courses/test-course/basics/first-lesson.md"
    path.write_text(lesson_text("첫 레슨").replace("title: 첫 레슨", "title: [닫히지 않음"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="데이터베이스는 바꾸지 않았습니다"):
        call_command("sync_content", "--dir", str(content_dir), stdout=io.StringIO(), stderr=err)
    assert f"{path}:2: YAML 문법 오류" in err.getvalue()
    assert not Course.objects.exists()


def test_the_command_exits_non_zero_on_invalid_content(db, content_dir, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    (content_dir / "courses/test-course/basics/first-lesson.md").write_text("---\ntitle: x\n")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "sync_content", "--dir", str(content_dir)],
        cwd=root,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cmd.sqlite3'}",
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "first-lesson.md:1: 앞머리를 닫는 --- 줄이 없습니다." in result.stderr
