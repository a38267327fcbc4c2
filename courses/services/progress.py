"""A student's own progress: visits, completion, per-module bars, where to continue."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from ..models import Course, Lesson, LessonProgress

VISIT_THROTTLE_SECONDS = 60


def record_visit(user_id: int, lesson_id: int) -> None:
    # Reloading the same lesson needs no write: remember the last recorded visit per
    # user, so only moving to another lesson (or a minute passing) touches the database.
    key = f"courses:visit:{user_id}"
    if cache.get(key) == lesson_id:
        return
    now = timezone.now()
    updated = LessonProgress.objects.filter(user_id=user_id, lesson_id=lesson_id).update(last_visited_at=now)
    if not updated:
        LessonProgress.objects.get_or_create(
            user_id=user_id, lesson_id=lesson_id, defaults={"last_visited_at": now}
        )
    cache.set(key, lesson_id, VISIT_THROTTLE_SECONDS)


def last_visited(user_id: int):
    """The lesson this student opened last (what "이어서 학습하기" starts from): one small query,
    part of the course page's cache key so a cached page never points at an old lesson."""
    return (
        LessonProgress.objects.filter(user_id=user_id, last_visited_at__isnull=False)
        .order_by("-last_visited_at")
        .values_list("lesson_id", flat=True)
        .first()
    )


def complete(user, lesson: Lesson) -> LessonProgress:
    now = timezone.now()
    progress, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"last_visited_at": now}
    )
    if progress.completed_at is None:
        progress.completed_at = now
        progress.last_visited_at = now
        progress.save(update_fields=["completed_at", "last_visited_at"])
    cache.delete(f"courses:visit:{user.pk}")
    return progress


def completed_ids(user, course: Course) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(
            user=user, lesson__course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


@dataclass
class Bar:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_bars(user, courses: list[Course]) -> dict[int, Bar]:
    """Course id → Bar for the course cards, in two queries however many courses."""
    lessons = defaultdict(set)
    for course_id, pk in Lesson.objects.published().filter(course__in=courses).values_list("course_id", "pk"):
        lessons[course_id].add(pk)
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson__course__in=courses, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    return {c.pk: Bar(len(lessons[c.pk] & done), len(lessons[c.pk])) for c in courses}


def course_bar(user, course: Course) -> Bar:
    return course_bars(user, [course])[course.pk]


def outline(user, course: Course):
    """[(module, [lessons with .done], Bar)] for the course page, in three queries."""
    lessons = list(
        Lesson.objects.published()
        .filter(course=course)
        .select_related("module")
        .defer("source", "body_html", "toc_html", "draft_source")
    )
    done = completed_ids(user, course)
    modules: dict[int, tuple] = {}
    for lesson in lessons:
        lesson.done = lesson.pk in done
        lesson.course = course  # its URL needs the course slug: not one query per lesson
        modules.setdefault(lesson.module_id, (lesson.module, []))[1].append(lesson)
    result = []
    for module, items in sorted(modules.values(), key=lambda mv: mv[0].order):
        result.append((module, items, Bar(sum(x.done for x in items), len(items))))
    return result, Bar(sum(x.done for x in lessons), len(lessons))


def continue_target(user) -> Lesson | None:
    """The last visited lesson if unfinished, else the next unfinished one after it."""
    if not user.is_authenticated:
        return None
    last = (
        LessonProgress.objects.filter(
            user=user, last_visited_at__isnull=False, lesson__in=Lesson.objects.published()
        )
        .select_related("lesson__course")
        .order_by("-last_visited_at")
        .first()
    )
    if last is None:
        return None
    if last.completed_at is None:
        return last.lesson
    course = last.lesson.course
    ordered = list(
        Lesson.objects.published().filter(course=course).only("pk", "slug", "title", "course", "module")
    )
    done = completed_ids(user, course)
    index = next((i for i, lesson in enumerate(ordered) if lesson.pk == last.lesson_id), -1)
    for lesson in ordered[index + 1 :] + ordered[: index + 1]:
        if lesson.pk not in done:
            return lesson
    return None
