"""No silent loss: activity heartbeats, and "이어서 하기" after a sandbox was reaped.

Every successful 적용 is kept (AppliedManifest). When a session ends (idle, expired,
reaped), the student can start a fresh session that re-applies those manifests in order
once the new sandbox is ready; the replay is claimed with a conditional UPDATE, so two
panel refreshes never apply twice.
"""

import logging

from django.db import transaction
from django.utils import timezone

from labs.models import AppliedManifest, LabSession, SessionResume

from . import services

log = logging.getLogger(__name__)
MAX_KEPT = 200  # applies kept per session; the oldest beyond this are not replayed


def record_applied(session, text: str) -> None:
    AppliedManifest.objects.create(session=session, text=text)
    stale = session.applied_manifests.order_by("-created_at", "-id").values_list("pk", flat=True)[MAX_KEPT:]
    AppliedManifest.objects.filter(pk__in=list(stale)).delete()


def heartbeat(session) -> bool:
    """The student is working (typing, reading, clicking): push the idle deadline."""
    if not session.is_usable:
        return False
    services.record_activity(session)
    return True


def resumable(session) -> bool:
    return (
        session is not None
        and session.state in (LabSession.State.ENDED, LabSession.State.FAILED)
        and session.applied_manifests.exists()
    )


def resume(user, source) -> LabSession:
    """A new session for the same lab that will re-apply `source`'s manifests when ready."""
    if source.user_id != user.pk or not resumable(source):
        raise services.SessionError("이어서 할 작업이 없습니다. 새로 시작해 주세요.")
    session = services.start_session(user, source.lab)
    with transaction.atomic():
        SessionResume.objects.get_or_create(session=session, defaults={"source": source})
    return session


def replay_pending(session) -> SessionResume | None:
    """Re-apply the source session's manifests into this (ready) session, once."""
    resume = SessionResume.objects.filter(session=session).first()
    if resume is None or session.state != LabSession.State.READY:
        return resume
    claimed = SessionResume.objects.filter(
        pk=resume.pk, state=SessionResume.State.PENDING, finished_at__isnull=True
    ).update(finished_at=timezone.now())
    if not claimed:
        resume.refresh_from_db()
        return resume
    from kubaeum.safe_yaml import SafeYamlError
    from labs.cluster.apply import ApplyError, apply_manifests
    from labs.grading.manifests import parse_manifests

    applied, problems = 0, []
    texts = list(resume.source.applied_manifests.values_list("text", flat=True))
    try:
        api = services.session_api_client(session)
    except services.SessionError as exc:
        problems.append(str(exc))
        texts = []
    for text in texts:
        try:
            manifests = parse_manifests(text)
            for manifest in manifests:
                # The old sandbox's own namespace name means "this sandbox".
                meta = manifest.get("metadata") or {}
                if meta.get("namespace") == resume.source.namespace:
                    meta.pop("namespace")
            apply_manifests(api, manifests, namespace=session.namespace or None)
        except (SafeYamlError, ApplyError) as exc:
            problems.append(str(exc))
            continue
        record_applied(session, text)
        applied += 1
    if texts:
        api.close()
    state = SessionResume.State.FAILED if problems else SessionResume.State.DONE
    SessionResume.objects.filter(pk=resume.pk).update(
        state=state, applied=applied, message="\n".join(problems)[:4000]
    )
    services.record_activity(session)
    resume.refresh_from_db()
    return resume
