"""What a session applied, so a reaped sandbox can be rebuilt ("이어서 하기")."""

from django.db import models
from django.utils import timezone


class AppliedManifest(models.Model):
    """One successful 적용 from the YAML editor, as the student wrote it."""

    session = models.ForeignKey(
        "labs.LabSession", on_delete=models.CASCADE, related_name="applied_manifests", verbose_name="세션"
    )
    text = models.TextField("매니페스트")
    created_at = models.DateTimeField("적용 시각", default=timezone.now)

    class Meta:
        verbose_name = "적용한 매니페스트"
        verbose_name_plural = "적용한 매니페스트"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"#{self.session_id} {self.created_at:%H:%M:%S}"


class SessionResume(models.Model):
    """A fresh session rebuilt from an ended one: its manifests are re-applied once it is ready."""

    class State(models.TextChoices):
        PENDING = "pending", "대기"
        DONE = "done", "완료"
        FAILED = "failed", "일부 실패"

    session = models.OneToOneField(
        "labs.LabSession", on_delete=models.CASCADE, related_name="resume", verbose_name="새 세션"
    )
    source = models.ForeignKey(
        "labs.LabSession", on_delete=models.CASCADE, related_name="+", verbose_name="이전 세션"
    )
    state = models.CharField("상태", max_length=8, choices=State.choices, default=State.PENDING)
    applied = models.PositiveIntegerField("다시 적용한 문서 묶음", default=0)
    message = models.TextField("결과", blank=True)
    finished_at = models.DateTimeField("완료 시각", null=True, blank=True)

    class Meta:
        verbose_name = "이어서 하기"
        verbose_name_plural = "이어서 하기"

    def __str__(self):
        return f"#{self.source_id} → #{self.session_id} ({self.get_state_display()})"
