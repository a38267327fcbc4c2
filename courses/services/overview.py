"""The instructor's class table: per student, lessons completed and quiz correctness."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from accounts.roles import INSTRUCTOR_GROUP

from ..models import Course, Lesson, LessonProgress, Question, QuizAnswer

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
    users = list(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(groups__name=INSTRUCTOR_GROUP)
        .exclude(is_superuser=True)
        .order_by("username")[:MAX_ROWS]
    )
    # One grouped query per figure: annotating them all on the users would join every
    # progress row with every answer row of each student before counting.
    per_module: defaultdict[int, dict] = defaultdict(dict)
    for row in (
        LessonProgress.objects.filter(lesson_id__in=lesson_ids, completed_at__isnull=False)
        .values("user_id", "lesson__module_id")
        .annotate(n=Count("pk"))
    ):
        per_module[row["user_id"]][row["lesson__module_id"]] = row["n"]
    answers = {
        row["user_id"]: row
        for row in QuizAnswer.objects.filter(question__lesson_id__in=lesson_ids)
        .values("user_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    last_seen = dict(
        LessonProgress.objects.filter(lesson__course=course)
        .values("user_id")
        .annotate(last=Max("last_visited_at"))
        .values_list("user_id", "last")
    )
    rows = []
    for u in users:
        done = per_module[u.pk]
        answered: dict = dict(answers.get(u.pk) or {})
        rows.append(
            Row(
                u,
                sum(done.values()),
                answered.get("answered", 0),
                answered.get("correct", 0),
                last_seen.get(u.pk),
                [(m, done.get(m.pk, 0)) for m in modules],
            )
        )
    return {
        "rows": rows,
        "modules": modules,
        "lesson_count": len(lesson_ids),
        "question_count": question_count,
    }
