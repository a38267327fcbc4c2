"""What the Celery tasks do: provision, end and fail sessions (all idempotent).

Every step starts with a conditional transition; a worker that loses it does nothing
to the sandbox. Whatever happens, a sandbox is either recorded on a live session or
destroyed (and the reaper's orphan collection is the backstop for crashes).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from labs.cluster.apply import ApplyError
from labs.models import LabSession
from labs.providers import ProviderError, get_provider
from labs.sandbox import identity, lease
from labs.sandbox.crypto import encrypt
from labs.sandbox.errors import RetryLater

log = logging.getLogger(__name__)
S = LabSession.State

GENERIC_FAILURE = "실습 환경을 준비하지 못했습니다. 잠시 후 '실습 시작'을 다시 눌러 주세요."


def lifetime(lab) -> timedelta:
    return timedelta(
        minutes=min(
            lab.time_limit_minutes or settings.LAB_MAX_LIFETIME_MINUTES, settings.LAB_MAX_LIFETIME_MINUTES
        )
    )


def provision_session(session_id: int, final: bool = True, retry_in: float = 0) -> str:
    session = LabSession.objects.select_related("lab").filter(pk=session_id).first()
    if session is None or session.state != S.REQUESTED or session.waiting:
        return "skipped"
    provider = get_provider(session.provider)
    now = timezone.now()
    # Recorded before anything exists, so a crash mid-way still says what to clean up.
    names = {"namespace": identity.namespace_name(session)} if provider.name == "namespace" else {}
    claimed = session.transition(
        S.REQUESTED,
        S.PROVISIONING,
        provisioning_started_at=now,
        attempts=F("attempts") + 1,
        expires_at=now + lifetime(session.lab),
        **names,
    )
    if not claimed:
        return "lost"
    with lease.hold("provision", session.pk):
        return _provision(session, provider, final, retry_in)


def _provision(session, provider, final: bool, retry_in: float) -> str:
    session_id = session.pk
    try:
        sandbox = provider.create(session, session.set_step)
        if settings.LAB_PROVISION_PAUSE_SECONDS:
            time.sleep(settings.LAB_PROVISION_PAUSE_SECONDS)
        setup = list(session.lab.spec.setup)
        if setup:
            session.set_step(LabSession.Step.SETUP)
            apply_setup(session, sandbox, setup)
        _replay_previous_work(session, sandbox)
    except ProviderError as e:
        if e.transient and not final:
            # Marked as sent when the retry is due, so the reaper does not count the
            # row as lost (and send a second copy) while the task waits out its backoff.
            due = timezone.now() + timedelta(seconds=retry_in)
            session.transition(S.PROVISIONING, S.REQUESTED, step=LabSession.Step.QUEUED, enqueued_at=due)
            raise RetryLater(str(e)) from e
        fail_session(session, str(e))
        return "failed"
    except ApplyError as e:
        # The lab's own setup objects were refused: the Korean message names which one.
        log.warning("setup of session %s failed: %s", session_id, e)
        fail_session(session, f"실습 초기 리소스를 배치하지 못했습니다. {e}")
        return "failed"
    except Exception:
        log.exception("provisioning session %s failed", session_id)
        fail_session(session, GENERIC_FAILURE)
        return "failed"
    now = timezone.now()
    ready = session.transition(
        S.PROVISIONING,
        S.READY,
        step=LabSession.Step.READY,
        ready_at=now,
        last_activity_at=now,
        expires_at=now + lifetime(session.lab),
        credentials=encrypt(sandbox.kubeconfig),
        namespace=sandbox.namespace,
        cluster_name=sandbox.cluster_name,
    )
    if not ready:
        if session.state in LabSession.ACTIVE_STATES:
            # The reaper gave up on this attempt and handed the session to another one,
            # which owns the same (same-named) sandbox now: destroying it would pull it
            # from under a student who may already be working in it.
            return "superseded"
        # Ended (or failed by the reaper) while we worked: nobody will use this sandbox.
        _destroy_quietly(provider, session)
        return "abandoned"
    return "ready"


def _replay_previous_work(session, sandbox) -> None:
    """For "이어서 하기": replay the ended session's manifests and console commands before the student
    sees the sandbox. A problem with one of them is reported on the panel, never a failure
    of the new session."""
    from labs.models import SessionResume
    from labs.sandbox import continuity

    if not SessionResume.objects.filter(session=session).exists():
        return
    session.set_step(LabSession.Step.SETUP)
    try:
        continuity.replay_pending(session, sandbox.kubeconfig, sandbox.namespace or None)
    except Exception:
        log.exception("replaying the previous work into session %s failed", session.pk)


def apply_setup(session, sandbox, manifests) -> None:
    from labs.cluster.apply import apply_manifests
    from labs.sandbox.kubeconfig import client_from_text

    # Setup objects go in with the student's own rights (what the lab author promises
    # the student can see and change), into the session's namespace.
    with client_from_text(sandbox.kubeconfig) as api:
        apply_manifests(api, manifests, namespace=sandbox.namespace or None)


def fail_session(session, reason: str) -> None:
    now = timezone.now()
    session.transition(
        [S.REQUESTED, S.PROVISIONING],
        S.FAILED,
        failure_reason=reason,
        ended_at=now,
        credentials="",
        waiting=False,
    )
    _destroy_quietly(get_provider(session.provider), session)
    _promote(session.provider)


def request_end(session, reason: str) -> bool:
    """Move a live session to `ending` and queue the cleanup; False if already over."""
    from labs.sandbox.tasks import enqueue_end

    won = session.transition(
        [S.REQUESTED, S.PROVISIONING, S.READY],
        S.ENDING,
        ending_at=timezone.now(),
        end_reason=reason,
        waiting=False,
    )
    if won:
        enqueue_end(session.pk)
    return won


def finish_end(session_id: int) -> str:
    session = LabSession.objects.filter(pk=session_id).first()
    if session is None or session.state != S.ENDING:
        return "skipped"
    provider = get_provider(session.provider)
    provider.destroy(session)  # raises ProviderError: the task retries
    session.transition(S.ENDING, S.ENDED, ended_at=timezone.now(), credentials="")
    _promote(session.provider)
    return "ended"


def _destroy_quietly(provider, session) -> None:
    try:
        provider.destroy(session)
    except Exception:
        log.warning(
            "could not destroy sandbox of session %s; orphan collection will", session.pk, exc_info=True
        )


def _promote(provider: str) -> None:
    from labs.sandbox.capacity import promote

    try:
        promote(provider)
    except Exception:
        log.warning("could not promote waiting sessions", exc_info=True)
