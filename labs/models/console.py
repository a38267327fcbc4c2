from django.db import models
from django.utils import timezone


class ConsoleCommand(models.Model):
    """One command the web console accepted for a session (refused commands never get a row).

    The row is created by the web request, queued, and filled in by a console worker: the
    page polls it until it is done, so no web thread ever waits for kubectl.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "대기 중"
        RUNNING = "running", "실행 중"
        DONE = "done", "끝남"
        FAILED = "failed", "실행 못 함"

    session = models.ForeignKey(
        "labs.LabSession", on_delete=models.CASCADE, related_name="console_commands", verbose_name="세션"
    )
    command = models.TextField("명령")
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.DONE)
    # The argument list kubectl gets (after the policy check), so the worker runs exactly
    # what the web request approved.
    args = models.JSONField("인자", default=list, blank=True)
    output = models.TextField("출력", blank=True, default="")
    # kubectl's exit code; empty until it ran (queued, running, or a worker never took it).
    exit_code = models.IntegerField("종료 코드", null=True, blank=True)
    # How the command ended when it did not simply run: "unreachable", "timeout", "lost", "unavailable".
    problem = models.CharField("문제", max_length=20, blank=True, default="")
    duration_ms = models.PositiveIntegerField("실행 시간(ms)", default=0)
    created_at = models.DateTimeField("실행 시각", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("시작 시각", null=True, blank=True)
    finished_at = models.DateTimeField("끝난 시각", null=True, blank=True)

    class Meta:
        verbose_name = "콘솔 명령"
        verbose_name_plural = "콘솔 명령"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"#{self.session_id} $ {self.command} → {self.exit_code}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
