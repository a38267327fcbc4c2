import io

from django.core.management import call_command

from courses.content.export import export_courses
from courses.content.sync import sync_courses
from courses.models import Course, Lesson, Module
from courses.services import authoring

from .conftest import lesson_text


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sync_export_sync_round_trips_byte_for_byte(course, content_dir, tmp_path):
    out = tmp_path / "exported"
    call_command("export_content", "--dir", str(out), stdout=io.StringIO())
    assert _files(out) == _files(content_dir)
    report = sync_courses(out)
    assert not report.changed
    assert report.counts["레슨"]["변경 없음"] == 3


def test_a_lesson_published_in_the_browser_is_exported_and_syncs_back_unchanged(course, tmp_path):
    lesson = Lesson.objects.get(slug="second-lesson")
    authoring.publish(lesson, lesson_text("브라우저에서 고친 레슨"))
    out = tmp_path / "exported"
    export_courses(out)
    text = (out / "courses/test-course/basics/second-lesson.md").read_text()
    assert "title: 브라우저에서 고친 레슨" in text
    assert not sync_courses(out).changed


def test_export_rewrites_course_yaml_when_the_rows_changed(course, tmp_path):
    Module.objects.filter(slug="advanced").update(title="고급 과정")
    out = tmp_path / "exported"
    export_courses(out)
    text = (out / "courses/test-course/course.yaml").read_text()
    assert "title: 고급 과정" in text
    # The first sync stores the regenerated course.yaml; from then on it is a fixed point.
    sync_courses(out)
    assert Module.objects.get(slug="advanced").title == "고급 과정"
    again = tmp_path / "again"
    export_courses(again)
    assert _files(again) == _files(out)
    assert not sync_courses(again).changed
    assert Course.objects.get().title == "테스트 강좌"


def test_export_skips_unpublished_lessons(course, content_dir, tmp_path):
    Lesson.objects.filter(slug="third-lesson").update(status=Lesson.Status.ARCHIVED)
    out = tmp_path / "exported"
    export_courses(out)
    assert not (out / "courses/test-course/advanced/third-lesson.md").exists()


def test_a_module_whose_lessons_are_all_unpublished_is_left_out_so_the_export_still_syncs(course, tmp_path):
    Lesson.objects.filter(slug="third-lesson").update(status=Lesson.Status.ARCHIVED)
    out = tmp_path / "exported"
    export_courses(out)
    assert "advanced" not in (out / "courses/test-course/course.yaml").read_text()
    sync_courses(out)  # valid: no module with an empty lesson list
    assert not Module.objects.get(slug="advanced").is_published
