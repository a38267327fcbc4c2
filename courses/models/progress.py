from django.conf import settings
from django.db import models


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="lesson_progress", verbose_name="학생"
    )
    lesson = models.ForeignKey("courses.Lesson", models.CASCADE, related_name="progress", verbose_name="레슨")
    last_visited_at = models.DateTimeField("마지막 방문", null=True, blank=True)
    completed_at = models.DateTimeField("완료 시각", null=True, blank=True)

    class Meta:
        verbose_name = "학습 진도"
        verbose_name_plural = "학습 진도"
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="progress_per_user_lesson")]
        indexes = [models.Index(fields=["user", "-last_visited_at"], name="progress_recent")]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class QuizAnswer(models.Model):
    """A student's latest answer to one question (attempts counts every submission)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="quiz_answers", verbose_name="학생"
    )
    question = models.ForeignKey(
        "courses.Question", models.CASCADE, related_name="student_answers", verbose_name="문항"
    )
    answer = models.JSONField("제출한 답", default=list)
    is_correct = models.BooleanField("정답 여부", default=False)
    attempts = models.PositiveIntegerField("시도 횟수", default=1)
    answered_at = models.DateTimeField("제출 시각", auto_now=True)

    class Meta:
        verbose_name = "퀴즈 답안"
        verbose_name_plural = "퀴즈 답안"
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="answer_per_user_question")]

    def __str__(self):
        return f"{self.user} · {self.question}"
