"""The workspace inside a ready session: console, YAML editor, live resource view.

Every view loads the session through get_session_for_user, so another student's session
is a 404 before anything else happens.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from kubaeum.errors import UserError, render_user_error
from kubaeum.request_size import body_larger_than
from labs.console import editor
from labs.console.resources import SnapshotError, snapshot
from labs.console.services import refresh, start_command
from labs.models import ConsoleCommand
from labs.sandbox import continuity
from labs.sandbox.services import SessionError, get_session_for_user, session_api_client

# Requests larger than this are refused from their Content-Length, before Django reads
# the body (which would otherwise fail with a bare 400 at DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_REQUEST_BYTES = 3 * editor.MAX_BYTES + 16 * 1024


# How the page learns how a command ended: a status that says what happened.
_PROBLEM_STATUS = {"unreachable": 502, "timeout": 504, "lost": 503, "unavailable": 503, "ended": 409}


@login_required
@require_POST
def console_run(request, session_id):
    """Queue one command and answer at once (202) with an entry that polls for its output."""
    session = get_session_for_user(request.user, session_id)
    context = {"session": session, "command": ""}
    if body_larger_than(request, MAX_REQUEST_BYTES):
        context["refusal"] = "명령이 너무 깁니다."
        return render(request, "labs/console_entry.html", context, status=413)
    text = request.POST.get("command", "")
    context["command"] = text.strip()[:1000]
    try:
        context["entry"] = start_command(session, text)
    except UserError as exc:  # refused, busy, session ended, console unavailable
        return render_user_error(request, "labs/console_entry.html", context, exc, key="refusal")
    return render(request, "labs/console_entry.html", context, status=202)


@login_required
@require_GET
def console_result(request, session_id, command_id):
    """The command's entry: 202 (still polling) until it ends, then its final status."""
    session = get_session_for_user(request.user, session_id)
    entry = get_object_or_404(ConsoleCommand, pk=command_id, session=session)
    entry = refresh(entry)
    context = {"session": session, "command": entry.command, "entry": entry}
    if not entry.is_finished:
        status = 202
    else:
        status = _PROBLEM_STATUS.get(entry.problem, 200)
    return render(request, "labs/console_entry.html", context, status=status)


@login_required
@require_GET
def console_history(request, session_id):
    """The session's own past commands, oldest first (seeds ↑/↓ in a fresh browser)."""
    session = get_session_for_user(request.user, session_id)
    commands = list(
        session.console_commands.exclude(state=ConsoleCommand.State.FAILED)
        .order_by("-created_at", "-id")
        .values_list("command", flat=True)[:100]
    )
    return JsonResponse({"commands": commands[::-1]})


def _editor_submit(request, session_id, dry_run):
    session = get_session_for_user(request.user, session_id)
    context = {"session": session, "dry_run": dry_run}
    if body_larger_than(request, MAX_REQUEST_BYTES):
        context["error"] = (
            f"YAML이 너무 큽니다. 편집기에서는 {editor.MAX_BYTES // 1024}KB까지 적용할 수 있습니다."
        )
        return render(request, "labs/editor_result.html", context, status=413)
    try:
        text = request.POST.get("yaml", "")
        context["result"] = editor.submit(session, text, dry_run=dry_run)
    except UserError as exc:
        return render_user_error(request, "labs/editor_result.html", context, exc)
    if not dry_run:
        continuity.record_applied(session, text)  # so "이어서 하기" can rebuild a reaped sandbox
    return render(request, "labs/editor_result.html", context)


@login_required
@require_POST
def editor_validate(request, session_id):
    return _editor_submit(request, session_id, dry_run=True)


@login_required
@require_POST
def editor_apply(request, session_id):
    return _editor_submit(request, session_id, dry_run=False)


@login_required
@require_GET
def resources(request, session_id):
    session = get_session_for_user(request.user, session_id)
    context = {"session": session}
    try:
        api = session_api_client(session)
    except SessionError:  # ended, or its credentials are gone or unreadable
        context["error"] = "실습 세션이 끝났습니다."
        # 286 tells htmx to stop polling: there is nothing left to watch.
        return render(request, "labs/resources.html", context, status=286)
    try:
        context["snap"] = snapshot(api, session.namespace or None)
    except SnapshotError as exc:
        context["error"] = str(exc)
    finally:
        api.close()
    return render(request, "labs/resources.html", context)
