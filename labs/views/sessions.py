"""The session panel: start, watch provisioning, timer, extend, end, kubeconfig download.

Loaded into the lab page by htmx (contract: `labs-session-panel`); every URL that names
a session goes through get_session_for_user, so another student's id is a 404.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.sessions import live_login_required
from labs.models import Lab, LabSession
from labs.providers import all_providers, get_provider
from labs.sandbox import capacity, services
from labs.sandbox.kubeconfig import for_download

STEP_LABELS_CLUSTER = {"sandbox": "전용 클러스터 생성", "rbac": "권한 설정", "quota": "자원 설정"}


def _lab(request, slug) -> Lab:
    return get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)


def _steps(session: LabSession) -> list[dict]:
    current = session.step_index
    steps = []
    for i, (key, label) in enumerate(LabSession.Step.choices):
        if session.provider != "namespace":
            if key in ("rbac", "quota"):
                continue
            label = STEP_LABELS_CLUSTER.get(key, label)
        status = (
            "done"
            if i < current or session.state == LabSession.State.READY
            else "current"
            if i == current
            else "todo"
        )
        steps.append({"key": key, "label": label, "status": status})
    return steps


def _panel(request, lab, session, error="", status=200):
    context = {"lab": lab, "session": session, "error": error, **_extra(session)}
    template = "labs/session_panel.html#panel" if request.htmx else "labs/session_page.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def session_panel(request, slug):
    lab = _lab(request, slug)
    return _panel(request, lab, services.latest_session_for(request.user, lab))


@login_required
@require_GET
def session_page(request, slug):
    """The panel on a page of its own (also the no-JavaScript fallback)."""
    lab = _lab(request, slug)
    session = services.latest_session_for(request.user, lab)
    return render(request, "labs/session_page.html", {"lab": lab, "session": session, **_extra(session)})


def _extra(session):
    if not session:
        return {}
    steps = _steps(session)
    done = sum(s["status"] == "done" for s in steps)
    from labs.sandbox import continuity

    grading = {}
    if session.is_usable:
        # The workspace's grading panel is rendered with the page, not fetched by a third
        # request after the session panel and the workspace have loaded.
        from labs.views.grading import gradebook

        grading = gradebook(session.user, session.lab)
        grading["submission"] = session.submissions.first()
    return {
        **grading,
        # A rebuilt session: what the provisioning worker replayed from the ended one.
        "resume": continuity.resume_of(session),
        "resumable": continuity.resumable(session),
        "steps": steps,
        "percent": int(100 * done / len(steps)),
        "queue_position": capacity.queue_position(session),
        "idle_minutes": settings.LAB_IDLE_MINUTES,
        "extension_minutes": settings.LAB_EXTENSION_MINUTES,
    }


@login_required
@require_POST
def session_start(request, slug):
    lab = _lab(request, slug)
    try:
        session = services.start_session(request.user, lab)
    except services.SessionError as e:
        return _panel(
            request, lab, services.latest_session_for(request.user, lab), error=str(e), status=e.status
        )
    if not request.htmx:
        return redirect("labs-session-page", slug=lab.slug)
    return _panel(request, lab, session)


@login_required
@require_GET
def session_status(request, session_id):
    session = services.get_session_for_user(request.user, session_id)
    return _panel(request, session.lab, session)


@login_required
@require_GET
def session_timer(request, session_id):
    session = services.get_session_for_user(request.user, session_id)
    if session.state != LabSession.State.READY:
        # Ended meanwhile (reaper, another tab): replace the whole panel instead.
        response = _panel(request, session.lab, session)
        response["HX-Retarget"] = "#lab-session"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "labs/session_panel.html#timer", {"session": session})


@login_required
@require_POST
def session_extend(request, session_id):
    session = services.get_session_for_user(request.user, session_id)
    try:
        session = services.extend_session(session)
    except services.SessionError as e:
        return _panel(request, session.lab, session, error=str(e), status=e.status)
    return _after_action(request, session)


@login_required
@require_POST
def session_end(request, session_id):
    session = services.get_session_for_user(request.user, session_id)
    services.end_session(session)  # refreshes the row whether or not it won the transition
    return _after_action(request, session)


def _after_action(request, session):
    # Without htmx a plain form posted here: back to the session page (post/redirect/get).
    if not request.htmx:
        return redirect("labs-session-page", slug=session.lab.slug)
    return _panel(request, session.lab, session)


@live_login_required  # a cookie copied before logout downloads nothing (accounts/sessions.py)
@require_GET
def session_kubeconfig(request, session_id):
    session = services.get_session_for_user(request.user, session_id)
    text = session.kubeconfig_text
    if not session.is_usable or not text:
        return HttpResponse(
            "실습 환경이 준비되지 않았거나 이미 종료되어 접속 파일을 내려받을 수 없습니다.", status=409
        )
    # The public address applies to the shared cluster only; dedicated clusters keep theirs.
    body = for_download(text) if session.provider == "namespace" else text
    response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kubaeum-lab.yaml"'
    response["Cache-Control"] = "no-store, private"
    return response


@staff_member_required
@require_GET
def provider_status(request):
    rows = []
    for provider in all_providers():
        ok, detail = provider.available()
        healthy = ok and provider.health()
        live = capacity.occupying(provider.name).count()
        rows.append(
            {
                "provider": provider,
                "ok": ok,
                "healthy": healthy,
                "detail": detail,
                "live": live,
                "limit": capacity.limit(provider.name),
            }
        )
    waiting = LabSession.objects.waiting().count()
    if settings.LAB_CLUSTER_KUBECONFIG:
        where = "외부 클러스터 (LAB_CLUSTER_KUBECONFIG)"
    else:
        where = "kind" if settings.LAB_SHARED_CLUSTER == "kind" else "kwok"
    # What the cluster's nodes say (labs/cluster/runtime.py), not what the settings assume.
    if get_provider("namespace").containers:
        shared = f"{where} — 실제 컨테이너가 실행됩니다"
    else:
        shared = f"{where} — 파드는 시뮬레이션만 되고 컨테이너는 실행되지 않습니다"
    return render(
        request, "labs/session_providers.html", {"rows": rows, "waiting": waiting, "shared_cluster": shared}
    )
