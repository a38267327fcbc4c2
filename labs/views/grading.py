"""채점하기 (live sandbox or submitted files), result polling, history and the reference solution.

Sessions and submissions are loaded through helpers that 404 for anyone but the owner.
Responses are partials of templates/labs/results.html, swapped in by htmx.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from kubaeum.errors import UserError, render_user_error
from kubaeum.request_size import body_larger_than
from labs.grading import services
from labs.models import Lab
from labs.sandbox.services import get_session_for_user

# Three files at the per-file limit plus form overhead; bigger bodies are refused from
# Content-Length before Django reads them.
MAX_REQUEST_BYTES = 3 * services.MAX_FILE_BYTES + 16 * 1024


def gradebook(user, lab) -> dict:
    return {
        "lab": lab,
        "best": services.best_score(user, lab),
        "attempts": services.attempts(user, lab),
        "hints_unlocked": services.hints_unlocked(user, lab),
        "hints_after": lab.spec.hints_after,
        "revealed": services.has_revealed(user, lab),
        "max_score": lab.spec.max_score,
    }


def _submission_context(request, submission) -> dict:
    if not submission.is_finished:
        # Polled every 500 ms while grading runs; the "채점하는 중" block needs nothing else.
        return {"submission": submission, "lab": submission.lab}
    context = gradebook(request.user, submission.lab)
    # The finished result also refreshes the attempt/best line next to the 채점하기 button.
    context.update(submission=submission, session=submission.session, oob=True)
    return context


def _error(request, exc: UserError):
    return render_user_error(request, "labs/results.html#error", {}, exc)


@login_required
@require_GET
def grading_panel(request, session_id):
    """The workspace's grading slot: the 채점하기 button and the latest result."""
    session = get_session_for_user(request.user, session_id)
    context = gradebook(request.user, session.lab)
    context.update(session=session, submission=session.submissions.first())
    return render(request, "labs/results.html#panel", context)


@login_required
@require_POST
def grade_session(request, session_id):
    session = get_session_for_user(request.user, session_id)
    try:
        submission = services.request_grading(request.user, session)
    except UserError as exc:
        return _error(request, exc)
    return render(
        request, "labs/results.html#submission", _submission_context(request, submission), status=202
    )


def _lab(request, slug) -> Lab:
    return get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)


@login_required
@require_POST
def grade_files(request, slug):
    lab = _lab(request, slug)
    if lab.scope != Lab.Scope.NONE:
        return _error(request, UserError("이 실습은 실습 환경(클러스터)에서 채점합니다."))
    if body_larger_than(request, MAX_REQUEST_BYTES):
        message = (
            f"제출한 파일이 너무 큽니다. 파일마다 {services.MAX_FILE_BYTES // 1000}KB까지 받을 수 있습니다."
        )
        return _error(request, UserError(message, status=413))
    files = {}
    for spec in lab.spec.files:
        upload = request.FILES.get(spec.name)
        files[spec.name] = (
            upload.read(services.MAX_FILE_BYTES + 1) if upload else request.POST.get(spec.name, "")
        )
    try:
        submission = services.request_file_grading(request.user, lab, files)
    except UserError as exc:
        return _error(request, exc)
    return render(
        request, "labs/results.html#submission", _submission_context(request, submission), status=202
    )


@login_required
@require_GET
def submission_result(request, submission_id):
    submission = services.get_submission_for_user(request.user, submission_id)
    return render(request, "labs/results.html#submission", _submission_context(request, submission))


@login_required
@require_GET
def submission_history(request, slug):
    lab = _lab(request, slug)
    context = gradebook(request.user, lab)
    context["submissions"] = list(services.history(request.user, lab).done()[:50])
    for offset, submission in enumerate(context["submissions"]):
        submission.number = context["attempts"] - offset  # the attempt's number, newest first
    template = "labs/submission_history.html#history" if request.htmx else "labs/submission_history.html"
    return render(request, template, context)


@login_required
@require_POST
def reveal_solution(request, slug):
    lab = _lab(request, slug)
    try:
        services.reveal_solution(request.user, lab)
    except UserError as exc:
        return _error(request, exc)
    context = gradebook(request.user, lab)
    context["solution"] = lab.spec.solution
    return render(request, "labs/results.html#solution", context)
