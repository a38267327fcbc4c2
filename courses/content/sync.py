"""sync_courses: content/courses/ → database, all or nothing."""

from collections import Counter
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ..models import Course, Lesson, Module
from ..services import page_cache
from ..services.lessons import apply_lesson
from .errors import ContentInvalid
from .loader import load_courses
from .schema import CourseData, content_hash


class Report:
    def __init__(self):
        self.counts = {kind: Counter() for kind in ("강좌", "모듈", "레슨")}
        self.warnings: list[str] = []

    def count(self, kind: str, what: str):
        self.counts[kind][what] += 1

    @property
    def changed(self) -> bool:
        return any(c[k] for c in self.counts.values() for k in ("생성", "갱신", "비공개 처리"))

    def lines(self) -> list[str]:
        order = ("생성", "갱신", "변경 없음", "비공개 처리")
        return [
            f"{kind}: " + ", ".join(f"{what} {counter[what]}" for what in order)
            for kind, counter in self.counts.items()
        ]


def sync_courses(content_dir: Path, stdout=None) -> Report:
    """Validate every course file first; then apply in one transaction.

    Raises ContentInvalid (nothing written) when any file is invalid.
    """
    courses, errors, warnings = load_courses(Path(content_dir))
    if errors:
        raise ContentInvalid(errors)
    report = Report()
    report.warnings = warnings
    with transaction.atomic():
        seen = set()
        for data in courses:
            seen.add(data.slug)
            _sync_course(data, report)
        for course in Course.objects.filter(is_published=True).exclude(slug__in=seen):
            course.is_published = False
            course.save(update_fields=["is_published", "updated_at"])
            report.count("강좌", "비공개 처리")
    page_cache.forget_content_version()
    if stdout is not None:
        for line in report.warnings:
            stdout.write(f"경고: {line}")
        for line in report.lines():
            stdout.write(line)
    return report


def _sync_course(data: CourseData, report: Report) -> None:
    digest: str | None = content_hash(data.source)
    course = Course.objects.filter(slug=data.slug).first()
    if course is None:
        course = Course(slug=data.slug)
        report.count("강좌", "생성")
    elif course.content_hash != digest or not course.is_published:
        report.count("강좌", "갱신")
    else:
        report.count("강좌", "변경 없음")
        digest = None
    if digest is not None:
        course.title, course.summary, course.order = data.title, data.summary, data.order
        course.source, course.content_hash, course.is_published = data.source, digest, True
        course.save()
    modules = _sync_modules(course, data, report)
    _sync_lessons(course, data, modules, report)


def _sync_modules(course: Course, data: CourseData, report: Report) -> dict[str, Module]:
    existing = {m.slug: m for m in course.modules.all()}
    result = {}
    for order, m in enumerate(data.modules):
        module = existing.pop(m.slug, None)
        wanted = {"title": m.title, "summary": m.summary, "order": order, "is_published": True}
        if module is None:
            module = Module.objects.create(course=course, slug=m.slug, **wanted)
            report.count("모듈", "생성")
            _touch(course)
        elif any(getattr(module, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(module, k, v)
            module.save()
            report.count("모듈", "갱신")
            _touch(course)
        else:
            report.count("모듈", "변경 없음")
        result[m.slug] = module
    for module in existing.values():
        if module.is_published:
            module.is_published = False
            module.save(update_fields=["is_published"])
            report.count("모듈", "비공개 처리")
            _touch(course)
    return result


def _sync_lessons(course: Course, data: CourseData, modules: dict[str, Module], report: Report) -> None:
    existing = {lesson.slug: lesson for lesson in course.lessons.all()}
    for m in data.modules:
        module = modules[m.slug]
        for order, slug in enumerate(m.lessons):
            lesson_data = data.lessons[slug]
            lesson = existing.pop(slug, None)
            status = Lesson.Status.DRAFT if lesson_data.draft else Lesson.Status.PUBLISHED
            if lesson is None:
                lesson = Lesson(course=course, module=module, order=order)
                apply_lesson(lesson, lesson_data, status=status)
                report.count("레슨", "생성")
                continue
            same = (
                lesson.content_hash == lesson_data.hash
                and lesson.module_id == module.pk
                and lesson.order == order
                and lesson.status == status
            )
            if same:
                report.count("레슨", "변경 없음")
                continue
            lesson.module, lesson.order = module, order
            apply_lesson(lesson, lesson_data, status=status)
            report.count("레슨", "갱신")
    # Files that disappeared: hide the lesson but keep the row, so progress survives.
    for lesson in existing.values():
        if lesson.status != Lesson.Status.ARCHIVED:
            lesson.status = Lesson.Status.ARCHIVED
            lesson.save(update_fields=["status", "updated_at"])
            report.count("레슨", "비공개 처리")
            _touch(course)


def _touch(course: Course) -> None:
    # Cached lesson pages are keyed by the course's timestamp (menus, previous/next).
    Course.objects.filter(pk=course.pk).update(updated_at=timezone.now())
