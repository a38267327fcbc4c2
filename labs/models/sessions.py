"""LabSession: one attempt at a lab, with its own sandbox (see labs/providers).

The row is the source of truth; Celery only carries "look at session N". Every state
change is a conditional UPDATE (… WHERE state IN (…)), so two workers can never both
provision, and a late worker can never resurrect an ended session.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from labs.sandbox import crypto


class LabSessionQuerySet(models.QuerySet):
    """The reads that several views, the reaper, capacity and the gradebook share."""

    def of(self, user):
        return self.filter(user_id=user.pk)

    def active(self):
        """Requested, provisioning or ready: the attempt a student has going (one per lab)."""
        return self.filter(state__in=LabSession.ACTIVE_STATES)

    def live(self):
        """Active, or still being torn down: its sandbox may exist."""
        return self.filter(state__in=LabSession.LIVE_STATES)

    def ready(self):
        return self.filter(state=LabSession.State.READY)

    def provisioning(self):
        return self.filter(state=LabSession.State.PROVISIONING)

    def ending(self):
        return self.filter(state=LabSession.State.ENDING)

    def waiting(self):
        """Requested while the provider was full: queued for room, oldest first."""
        return self.filter(state=LabSession.State.REQUESTED, waiting=True).order_by("created_at", "pk")

    def not_waiting(self):
        """Requested and let in: its provisioning task is (or should be) on the broker."""
        return self.filter(state=LabSession.State.REQUESTED, waiting=False)

    def occupying(self):
        """Holding a sandbox, or about to: what counts against a provider's capacity."""
        return self.filter(
            Q(state__in=[LabSession.State.PROVISIONING, LabSession.State.READY, LabSession.State.ENDING])
            | Q(state=LabSession.State.REQUESTED, waiting=False)
        )


class LabSession(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", "요청됨"
        PROVISIONING = "provisioning", "준비 중"
        READY = "ready", "사용 가능"
        ENDING = "ending", "종료 중"
        ENDED = "ended", "종료됨"
        FAILED = "failed", "실패"

    # Progress steps shown to the student while provisioning, in order.
    class Step(models.TextChoices):
        QUEUED = "queued", "요청 접수"
        SANDBOX = "sandbox", "네임스페이스 생성"
        RBAC = "rbac", "권한 설정"
        QUOTA = "quota", "자원 할당량 설정"
        SETUP = "setup", "초기 리소스 배치"
        READY = "ready", "준비 완료"

    LIVE_STATES = (State.REQUESTED, State.PROVISIONING, State.READY, State.ENDING)
    ACTIVE_STATES = (State.REQUESTED, State.PROVISIONING, State.READY)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_sessions", verbose_name="학생"
    )
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.CASCADE, related_name="sessions", verbose_name="실습"
    )
    state = models.CharField("상태", max_length=16, choices=State.choices, default=State.REQUESTED)
    step = models.CharField("진행 단계", max_length=16, choices=Step.choices, default=Step.QUEUED)
    provider = models.CharField("제공자", max_length=16, default="namespace")
    namespace = models.CharField("네임스페이스", max_length=63, blank=True)
    cluster_name = models.CharField("클러스터 이름", max_length=63, blank=True)
    failure_reason = models.TextField("실패 사유", blank=True)
    end_reason = models.CharField("종료 사유", max_length=200, blank=True)
    # Fernet token of the session kubeconfig; decrypt only through .kubeconfig_text.
    credentials = models.TextField("접속 정보(암호화)", blank=True, editable=False)
    waiting = models.BooleanField("대기열", default=False, help_text="수용 한도를 넘어 차례를 기다리는 중")
    attempts = models.PositiveSmallIntegerField("준비 시도 횟수", default=0)
    extensions = models.PositiveSmallIntegerField("연장 횟수", default=0)
    created_at = models.DateTimeField("요청 시각", default=timezone.now, db_index=True)
    enqueued_at = models.DateTimeField("작업 전달 시각", null=True, blank=True)
    provisioning_started_at = models.DateTimeField("준비 시작 시각", null=True, blank=True)
    ready_at = models.DateTimeField("준비 완료 시각", null=True, blank=True)
    expires_at = models.DateTimeField("만료 시각", null=True, blank=True)
    last_activity_at = models.DateTimeField("마지막 활동 시각", null=True, blank=True)
    ending_at = models.DateTimeField("종료 요청 시각", null=True, blank=True)
    ended_at = models.DateTimeField("종료 시각", null=True, blank=True)

    objects = LabSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "실습 세션"
        verbose_name_plural = "실습 세션"
        ordering = ["-created_at"]
        constraints = [
            # One active attempt per student per lab, enforced by the database.
            models.UniqueConstraint(
                fields=["user", "lab"],
                condition=Q(state__in=["requested", "provisioning", "ready"]),
                name="labs_one_active_session_per_lab",
            )
        ]
        indexes = [models.Index(fields=["state", "provider"])]

    def __str__(self):
        return f"{self.lab} · {self.user} · {self.get_state_display()} (#{self.pk})"

    # --- credentials ---------------------------------------------------------------
    @property
    def kubeconfig_text(self) -> str:
        return crypto.decrypt(self.credentials)

    def set_kubeconfig(self, text: str) -> None:
        self.credentials = crypto.encrypt(text) if text else ""

    # --- time ----------------------------------------------------------------------
    @property
    def idle_deadline(self):
        if not self.last_activity_at:
            return None
        return self.last_activity_at + timedelta(minutes=settings.LAB_IDLE_MINUTES)

    @property
    def ends_at(self):
        """Whichever comes first: the hard expiry or the idle deadline."""
        moments = [m for m in (self.expires_at, self.idle_deadline) if m]
        return min(moments) if moments else None

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def is_usable(self) -> bool:
        return self.state == self.State.READY and bool(self.ends_at) and self.ends_at > timezone.now()

    @property
    def can_extend(self) -> bool:
        return self.state == self.State.READY and self.extensions < settings.LAB_MAX_EXTENSIONS

    @property
    def step_index(self) -> int:
        return list(self.Step.values).index(self.step)

    # --- transitions ---------------------------------------------------------------
    def transition(self, from_states, to_state, **fields) -> bool:
        """Move to `to_state` only if the row is still in one of `from_states`.

        A single conditional UPDATE: whichever worker loses the race gets False and
        must not touch the sandbox. On success the instance is refreshed.
        """
        if isinstance(from_states, str):
            from_states = [from_states]
        won = (
            type(self)
            .objects.filter(pk=self.pk, state__in=list(from_states))
            .update(state=to_state, **fields)
        )
        self.refresh_from_db()
        return bool(won)

    def set_step(self, step: str) -> None:
        type(self).objects.filter(pk=self.pk, state=self.State.PROVISIONING).update(step=step)
        self.step = step
