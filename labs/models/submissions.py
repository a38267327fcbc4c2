"""Submission: one grading of a student's work (a live sandbox or submitted files).

Rows are never rewritten once done: the history of attempts, scores and durations is the
gradebook. SolutionReveal records that a student looked at the reference solution.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Max
from django.utils import timezone

if TYPE_CHECKING:
    from labs.grading.results import CheckResult


class SubmissionQuerySet(models.QuerySet):
    """Reads of gradings shared by the grading services, the lab pages and the gradebook."""

    def of(self, user):
        return self.filter(user_id=user.pk)

    def done(self):
        """Finished gradings with a score: the attempts that count."""
        return self.filter(state=Submission.State.DONE)

    def pending(self):
        """Queued or being graded."""
        return self.filter(state__in=(Submission.State.QUEUED, Submission.State.RUNNING))

    def perfect(self):
        return self.done().filter(max_score__gt=0, score=F("max_score"))

    def below_full_marks(self):
        """Finished without full marks: these unlock the hints."""
        return self.done().filter(score__lt=F("max_score"))

    def best_by_lab(self) -> dict[int, int]:
        """Lab id → best finished score, in one query."""
        rows = self.done().values("lab_id").annotate(best=Max("score")).values_list("lab_id", "best")
        return dict(rows)


class Submission(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "대기 중"
        RUNNING = "running", "채점 중"
        DONE = "done", "완료"
        FAILED = "failed", "실패"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lab_submissions",
        verbose_name="학생",
    )
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.CASCADE, related_name="submissions", verbose_name="실습"
    )
    session = models.ForeignKey(
        "labs.LabSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name="실습 세션",
    )
    state = models.CharField(
        "상태", max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    score = models.PositiveIntegerField("점수", default=0)
    max_score = models.PositiveIntegerField("만점", default=0)
    results = models.JSONField("검사 결과", default=list, blank=True)
    files = models.JSONField("제출 파일", default=dict, blank=True)
    error = models.TextField("오류", blank=True)
    duration_ms = models.PositiveIntegerField("채점 시간(ms)", null=True, blank=True)
    created_at = models.DateTimeField("제출 시각", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("채점 시작 시각", null=True, blank=True)
    finished_at = models.DateTimeField("채점 완료 시각", null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "채점 제출"
        verbose_name_plural = "채점 제출"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "lab", "state"])]

    def __str__(self):
        return f"{self.lab} · {self.user} · {self.score}/{self.max_score} (#{self.pk})"

    @property
    def check_results(self) -> list["CheckResult"]:
        """The stored per-check results, read back as the engine produced them."""
        from labs.grading.results import CheckResult

        return [CheckResult.from_stored(r) for r in self.results]

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    @property
    def is_perfect(self) -> bool:
        return self.state == self.State.DONE and self.max_score > 0 and self.score == self.max_score


class SolutionReveal(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="solution_reveals",
        verbose_name="학생",
    )
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.CASCADE, related_name="solution_reveals", verbose_name="실습"
    )
    revealed_at = models.DateTimeField("공개 시각", default=timezone.now)
    # The score the student had when looking: grades after this point are "with help".
    best_score_before = models.PositiveIntegerField("공개 전 최고 점수", default=0)

    class Meta:
        verbose_name = "정답 보기 기록"
        verbose_name_plural = "정답 보기 기록"
        constraints = [models.UniqueConstraint(fields=["user", "lab"], name="labs_one_reveal_per_lab")]

    def __str__(self):
        return f"{self.lab} · {self.user}"
