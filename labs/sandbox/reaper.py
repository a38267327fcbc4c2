"""The reaper (beat, every LAB_REAP_INTERVAL_SECONDS): the database is the source of truth.

It ends idle and expired sessions, re-queues work the broker lost, rescues sessions a
dead worker left in `provisioning`, finishes stuck endings, deletes orphans (sandboxes
labelled as ours with no live session) and lets waiting sessions in.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from kubaeum.queueing import send_now
from labs.models import LabSession
from labs.providers import all_providers
from labs.sandbox import capacity, health, lease, lifecycle

log = logging.getLogger(__name__)
S = LabSession.State

IDLE_REASON = "오랫동안 활동이 없어 실습을 종료했습니다."
EXPIRED_REASON = "실습 제한 시간이 끝나 종료했습니다."
WORKER_DIED_REASON = "실습 환경을 준비하던 작업자가 응답하지 않아 준비를 중단하고 정리했습니다. '실습 시작'을 다시 눌러 주세요."


def reap() -> dict:
    now = timezone.now()
    report = {
        "idle": 0,
        "expired": 0,
        "requeued": 0,
        "rescued": 0,
        "failed": 0,
        "ending": 0,
        "orphans": 0,
        "gone": 0,
    }
    from labs.sandbox.tasks import enqueue_end, enqueue_provision

    ready = LabSession.objects.ready()
    for session in ready.filter(expires_at__lte=now):
        report["expired"] += lifecycle.request_end(session, EXPIRED_REASON)
    idle_before = now - timedelta(minutes=settings.LAB_IDLE_MINUTES)
    for session in ready.filter(last_activity_at__lte=idle_before):
        report["idle"] += lifecycle.request_end(session, IDLE_REASON)

    stale = now - timedelta(seconds=settings.LAB_REQUEUE_AFTER_SECONDS)
    lost = (
        LabSession.objects.not_waiting()
        .annotate(sent=Coalesce("enqueued_at", "created_at"))
        .filter(sent__lte=stale)
    )
    for pk in lost.values_list("pk", flat=True):
        if LabSession.objects.filter(pk=pk, state=S.REQUESTED).update(enqueued_at=now):
            enqueue_provision(pk)
            report["requeued"] += 1

    for session in stuck_provisioning(now):
        if session.attempts < settings.LAB_PROVISION_MAX_ATTEMPTS:
            # Resume: whatever exists is reused (creation is idempotent).
            if session.transition(S.PROVISIONING, S.REQUESTED, step=LabSession.Step.QUEUED, enqueued_at=now):
                enqueue_provision(session.pk)
                report["rescued"] += 1
        else:
            lifecycle.fail_session(session, WORKER_DIED_REASON)
            report["failed"] += 1

    for pk in LabSession.objects.ending().filter(ending_at__lte=stale).values_list("pk", flat=True):
        enqueue_end(pk)
        report["ending"] += 1

    report["gone"] = health.check_ready_sessions()
    report["orphans"] = collect_orphans()
    for provider in settings.LAB_CAPACITY:
        capacity.promote(provider)
    refill_pools()
    return report


def stuck_provisioning(now) -> list[LabSession]:
    """`provisioning` rows nobody works on: past the timeout, or (sooner) their worker's
    lease lapsed — a worker killed mid-task is noticed in seconds, not minutes."""
    provisioning = LabSession.objects.provisioning()
    timed_out = now - timedelta(seconds=settings.LAB_PROVISION_TIMEOUT_SECONDS)
    stuck = list(provisioning.filter(provisioning_started_at__lte=timed_out))
    candidates = list(
        provisioning.filter(
            provisioning_started_at__gt=timed_out,
            provisioning_started_at__lte=now - timedelta(seconds=lease.LEASE_SECONDS),
        )
    )
    alive = lease.held("provision", [s.pk for s in candidates])
    if alive is not None:
        stuck += [s for s in candidates if s.pk not in alive]
    return stuck


def collect_orphans() -> int:
    deleted = 0
    for provider in all_providers():
        if not provider.available()[0]:
            continue
        try:
            found = provider.sandboxes()
        except Exception:
            log.warning("cannot list %s sandboxes", provider.name, exc_info=True)
            continue
        if not found:
            continue
        keep = set(
            LabSession.objects.live()
            .filter(pk__in=found, provider=provider.name)
            .values_list("pk", flat=True)
        )
        for sid, name in found.items():
            if sid in keep:
                continue
            try:
                provider.destroy_orphan(name)
                deleted += 1
                log.info("deleted orphan sandbox %s (%s)", name, provider.name)
            except Exception:
                log.warning("cannot delete orphan %s", name, exc_info=True)
    return deleted


def refill_pools() -> None:
    from labs.sandbox.tasks import refill_kwok_pool

    if settings.LAB_KWOK_POOL_SIZE > 0:
        from labs.providers import get_provider

        if get_provider("kwok").available()[0]:
            send_now(refill_kwok_pool)
    if settings.LAB_KIND_POOL_SIZE > 0:
        from labs.providers import get_provider
        from labs.sandbox.tasks import refill_kind_pool

        if get_provider("kind").available()[0]:
            send_now(refill_kind_pool)
