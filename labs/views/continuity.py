"""Heartbeat (a working student is never reaped) and "이어서 하기" (rebuild after reaping)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from labs.sandbox import continuity
from labs.sandbox.services import SessionError, get_session_for_user


@login_required
@require_POST
def heartbeat(request, session_id):
    """Answers the session's state and deadlines so every tab's one clock agrees."""
    session = get_session_for_user(request.user, session_id)
    alive = continuity.heartbeat(session)
    return JsonResponse(
        {
            "state": session.state if alive else "ended",
            "expires": session.expires_at.isoformat() if session.expires_at else None,
            "idle": session.idle_deadline.isoformat() if session.idle_deadline else None,
        }
    )


@login_required
@require_POST
def resume(request, session_id):
    from labs.views.sessions import _panel

    source = get_session_for_user(request.user, session_id)
    try:
        session = continuity.resume(request.user, source)
    except SessionError as exc:
        return _panel(request, source.lab, source, error=str(exc), status=exc.status)
    if not request.htmx:
        return redirect("labs-session-page", slug=source.lab.slug)
    return _panel(request, session.lab, session)
