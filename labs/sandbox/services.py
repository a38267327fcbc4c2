"""Sandbox services used by views, the console, the editor and grading.

Only the owner reaches a session (404 otherwise), and every cluster call on a student's
behalf uses the session's own credentials, never the admin's (docs/architecture.md).
"""

import contextlib
import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from kubernetes import client

from kubaeum.errors import NotFound, UserError
from labs.models import LabSession
from labs.providers import ProviderError, get_provider, pick
from labs.sandbox import capacity, lifecycle
from labs.sandbox.crypto import encrypt
from labs.sandbox.kubeconfig import client_from_text

S = LabSession.State
log = logging.getLogger(__name__)


class SessionError(UserError):
    """The session cannot do that now (ended, not ready, at its limit)."""

    status = 409


def get_session_for_user(user, session_id) -> LabSession:
    session = LabSession.objects.of(user).select_related("lab").filter(pk=session_id).first()
    if session is None:
        raise NotFound("실습 세션을 찾을 수 없습니다.")
    return session


def active_session_for(user, lab) -> LabSession | None:
    return (
        LabSession.objects.of(user)
        .active()
        .select_related("lab")
        .filter(lab=lab)
        .order_by("-created_at")
        .first()
    )


def latest_session_for(user, lab) -> LabSession | None:
    """The active session, else the most recent one (to show how it ended)."""
    return active_session_for(user, lab) or LabSession.objects.of(user).filter(lab=lab).first()


def start_session(user, lab) -> LabSession:
    """Start (or resume) the student's session for `lab`; queue it when over capacity."""
    existing = active_session_for(user, lab)
    if existing:
        return existing
    try:
        provider = pick(lab)
    except ProviderError as e:
        raise SessionError(str(e)) from e
    from labs.sandbox.tasks import enqueue_provision

    try:
        with transaction.atomic():
            # Both limits are counted and the row created under one lock, so two
            # simultaneous starts cannot both take the last place.
            capacity.serialize(provider.name)
            live = LabSession.objects.of(user).active().count()
            if live >= settings.LAB_MAX_SESSIONS_PER_STUDENT:
                raise SessionError(
                    f"동시에 진행할 수 있는 실습은 {settings.LAB_MAX_SESSIONS_PER_STUDENT}개까지입니다. "
                    "다른 실습을 종료한 뒤 다시 시작해 주세요."
                )
            waiting = not capacity.has_room(provider.name)
            session = LabSession.objects.create(user=user, lab=lab, provider=provider.name, waiting=waiting)
            if not waiting:
                enqueue_provision(session.pk)
    except IntegrityError:
        # A concurrent request (double click) created it first.
        existing = active_session_for(user, lab)
        if existing is None:  # ...and it ended in between
            raise SessionError("실습을 시작하지 못했습니다. 잠시 후 다시 눌러 주세요.") from None
        return existing
    return session


def end_session(session, reason: str = "학생이 실습을 종료했습니다.") -> bool:
    return lifecycle.request_end(session, reason)


def extend_session(session) -> LabSession:
    if session.state != S.READY:
        raise SessionError("준비된 실습만 연장할 수 있습니다.")
    if session.extensions >= settings.LAB_MAX_EXTENSIONS:
        raise SessionError(f"실습 시간은 최대 {settings.LAB_MAX_EXTENSIONS}번까지 연장할 수 있습니다.")
    now = timezone.now()
    extra = timedelta(minutes=settings.LAB_EXTENSION_MINUTES)
    won = LabSession.objects.filter(
        pk=session.pk, state=S.READY, extensions__lt=settings.LAB_MAX_EXTENSIONS
    ).update(extensions=F("extensions") + 1, expires_at=F("expires_at") + extra, last_activity_at=now)
    session.refresh_from_db()
    if not won:
        raise SessionError("실습을 연장하지 못했습니다. 새로고침 후 다시 시도해 주세요.")
    try:
        fresh = get_provider(session.provider).refresh_credentials(session)
    except Exception:
        # The old token stays valid until the original end; the student keeps working.
        log.warning("could not refresh credentials of session %s", session.pk, exc_info=True)
        fresh = None
    if fresh:
        LabSession.objects.filter(pk=session.pk, state=S.READY).update(credentials=encrypt(fresh))
        session.refresh_from_db()
    return session


def record_activity(session) -> None:
    now = timezone.now()
    LabSession.objects.filter(pk=session.pk, state=S.READY).update(last_activity_at=now)
    session.last_activity_at = now


def is_usable(session) -> bool:
    return session.is_usable


def _require_usable(session) -> str:
    text = session.kubeconfig_text
    if not session.is_usable or not text:
        raise SessionError("실습 환경이 준비되지 않았거나 이미 종료되었습니다.")
    return text


def session_kubeconfig(session):
    """A 0600 temporary kubeconfig file with the session's own credentials."""
    return kubeconfig_file(_require_usable(session))


@contextlib.contextmanager
def kubeconfig_file(text: str):
    """A 0600 temporary file holding this kubeconfig text, removed afterwards."""
    fd, name = tempfile.mkstemp(prefix="kubaeum-lab-", suffix=".yaml")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def session_api_client(session) -> client.ApiClient:
    return client_from_text(_require_usable(session))
