"""One student, seen by an instructor: lessons, quiz answers and labs, for one course."""

from django.db.models import Count, Max, Q

from ..models import Lesson, LessonProgress, QuizAnswer
from . import lab_links


def student_report(user, course) -> dict:
    lessons = list(
        Lesson.objects.published()
        .filter(course=course)
        .select_related("module")
        .defer("source", "body_html", "toc_html", "draft_source")
    )
    progress = {p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)}
    answers = {
        row["question__lesson_id"]: row
        for row in QuizAnswer.objects.filter(user=user, question__lesson__in=lessons)
        .values("question__lesson_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)), tries=Max("attempts"))
    }
    modules: dict[int, tuple] = {}
    for lesson in lessons:
        record = progress.get(lesson.pk)
        lesson.completed_at = record.completed_at if record else None
        lesson.visited_at = record.last_visited_at if record else None
        lesson.quiz = answers.get(lesson.pk, {})
        modules.setdefault(lesson.module_id, (lesson.module, []))[1].append(lesson)
    slugs = {lesson.slug for lesson in lessons}
    labs = [s for s in lab_links.lab_statuses(user) if slugs & set(lab_links.lesson_slugs(s.lab))]
    return {
        "modules": sorted(modules.values(), key=lambda mv: mv[0].order),
        "completed": sum(1 for lesson in lessons if lesson.completed_at),
        "lesson_count": len(lessons),
        "labs": labs,
    }
