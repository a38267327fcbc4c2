"""The live task list: the lab's checks run against the sandbox without recording anything.

Polled by the lab page after console commands, editor applies and every few seconds while
the page is visible. Nothing here creates a Submission, so it never counts as an attempt.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from labs.grading.live import LiveCheckUnavailable, check_now
from labs.sandbox.services import get_session_for_user


@login_required
@require_GET
def live_tasks(request, session_id):
    session = get_session_for_user(request.user, session_id)
    try:
        live = check_now(session, fresh=request.GET.get("fresh") == "1")
    except LiveCheckUnavailable as exc:
        return JsonResponse({"error": str(exc), "state": session.state}, status=exc.status)
    checks = [
        {
            "id": r.id,
            "step": r.step,
            "passed": r.passed,
            "message": r.message,
            "detail": r.detail,
            "target": live.targets.get(r.id),
        }
        for r in live.report.results
    ]
    return JsonResponse(
        {"checks": checks, "passed": sum(c["passed"] for c in checks), "total": len(checks)},
        headers={"Cache-Control": "no-store"},
    )
