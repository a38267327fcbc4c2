"""The instructor's class table: per student, lessons completed and quiz correctness."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from accounts.roles import INSTRUCTOR_GROUP

from ..models import Course, Lesson, LessonProgress, Question

MAX_ROWS = 500


@dataclass
class Row:
    user: object
    completed: int
    answered: int
    correct: int
    last_seen: object
    modules: list


def class_overview(course: Course) -> dict:
    lessons = Lesson.objects.published().filter(course=course)
    lesson_ids = list(lessons.values_list("pk", flat=True))
    modules = list(
        course.modules.filter(is_published=True).annotate(
            n=Count("lessons", filter=Q(lessons__pk__in=lesson_ids))
        )
    )
    question_count = Question.objects.filter(lesson_id__in=lesson_ids).count()
    done_filter = Q(lesson_progress__lesson_id__in=lesson_ids, lesson_progress__completed_at__isnull=False)
    answer_filter = Q(quiz_answers__question__lesson_id__in=lesson_ids)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name=INSTRUCTOR_GROUP)
        .exclude(is_superuser=True)
        .annotate(
            completed=Count("lesson_progress", filter=done_filter, distinct=True),
            answered=Count("quiz_answers", filter=answer_filter, distinct=True),
            correct=Count(
                "quiz_answers", filter=answer_filter & Q(quiz_answers__is_correct=True), distinct=True
            ),
            last_seen=Max(
                "lesson_progress__last_visited_at", filter=Q(lesson_progress__lesson__course=course)
            ),
        )
        .order_by("username")[:MAX_ROWS]
    )
    per_module = defaultdict(dict)
    for row in (
        LessonProgress.objects.filter(lesson_id__in=lesson_ids, completed_at__isnull=False)
        .values("user_id", "lesson__module_id")
        .annotate(n=Count("pk"))
    ):
        per_module[row["user_id"]][row["lesson__module_id"]] = row["n"]
    rows = [
        Row(
            u,
            u.completed,
            u.answered,
            u.correct,
            u.last_seen,
            [(m, per_module[u.pk].get(m.pk, 0)) for m in modules],
        )
        for u in users
    ]
    return {
        "rows": rows,
        "modules": modules,
        "lesson_count": len(lesson_ids),
        "question_count": question_count,
    }
