"""Labs woven into the course: which labs practise which lesson, and how far the student is.

A lab names the lessons it practises (lab.spec.lessons, lesson slugs). The course
outline places each lab right after the last of its lessons in that course; the lesson
page links them; the home page counts them. Few queries however many labs or lessons.
"""

from dataclasses import dataclass


@dataclass
class LabStatus:
    lab: object
    best: int | None
    max_score: int
    active: bool

    @property
    def done(self) -> bool:
        return self.best is not None and self.max_score > 0 and self.best >= self.max_score

    @property
    def label(self) -> str:
        if self.done:
            return "완료"
        if self.active:
            return "진행 중"
        if self.best is not None:
            return f"최고 {self.best}/{self.max_score}점"
        return "시작 전"

    @property
    def css(self) -> str:
        return "ok" if self.done else "warn" if (self.active or self.best is not None) else ""


def lab_statuses(user) -> list[LabStatus]:
    """Every published lab with this student's standing, in the lab list's order."""
    from labs.models import Lab, LabSession, Submission

    labs = list(Lab.objects.published())
    best: dict[int, int] = {}
    active: set[int] = set()
    if user.is_authenticated:
        best = Submission.objects.of(user).best_by_lab()
        active = set(LabSession.objects.of(user).active().values_list("lab_id", flat=True))
    return [LabStatus(lab, best.get(lab.pk), lab.spec.max_score, lab.pk in active) for lab in labs]


def page_version(user_id) -> tuple | None:
    """What a cached course page depends on, in ONE query: the lesson opened last (the
    "이어서 학습하기" target), the newest finished grading, the newest session and how many
    are active (the outline's lab statuses)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, OuterRef, Subquery

    from labs.models import LabSession, Submission

    from ..models import LessonProgress

    mine = {"user_id": OuterRef("pk")}
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            last_lesson=Subquery(
                LessonProgress.objects.filter(**mine, last_visited_at__isnull=False)
                .order_by("-last_visited_at")
                .values("lesson_id")[:1]
            ),
            graded=Subquery(Submission.objects.done().filter(**mine).order_by("-pk").values("pk")[:1]),
            newest_session=Subquery(LabSession.objects.filter(**mine).order_by("-pk").values("pk")[:1]),
            active=Subquery(
                LabSession.objects.active()
                .filter(**mine)
                .values("user_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .values_list("last_lesson", "graded", "newest_session", "active")
        .first()
    )


def lesson_slugs(lab) -> list[str]:
    return list(lab.spec.lessons)


def labs_after_lessons(statuses, lessons) -> dict[int, list[LabStatus]]:
    """Lesson pk → the labs to show right after it (after the last lesson each lab practises)."""
    position = {lesson.slug: (i, lesson.pk) for i, lesson in enumerate(lessons)}
    placed: dict[int, list] = {}
    for status in statuses:
        found = [position[s] for s in lesson_slugs(status.lab) if s in position]
        if found:
            placed.setdefault(max(found)[1], []).append(status)
    return placed


def labs_for_lesson(lesson) -> list:
    """The published labs that practise this lesson (no student status: the page is cached)."""
    from labs.models import Lab

    return [lab for lab in Lab.objects.published() if lesson.slug in lesson_slugs(lab)]
