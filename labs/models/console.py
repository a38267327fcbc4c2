from django.db import models
from django.utils import timezone


class ConsoleCommand(models.Model):
    """One command the web console ran for a session (refused commands never get a row)."""

    session = models.ForeignKey(
        "labs.LabSession", on_delete=models.CASCADE, related_name="console_commands", verbose_name="세션"
    )
    command = models.TextField("명령")
    exit_code = models.IntegerField("종료 코드")
    duration_ms = models.PositiveIntegerField("실행 시간(ms)", default=0)
    created_at = models.DateTimeField("실행 시각", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "콘솔 명령"
        verbose_name_plural = "콘솔 명령"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"#{self.session_id} $ {self.command} → {self.exit_code}"
