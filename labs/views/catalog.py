"""Lab list and lab page (the page hosts SANDBOX's session panel, or the file editors)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from courses.models import Lesson
from labs.grading.engine import max_score
from labs.grading.services import best_score
from labs.models import Lab, LabSession, Submission


@login_required
def lab_list(request):
    labs = list(Lab.objects.filter(is_published=True))
    active = set(
        LabSession.objects.filter(user_id=request.user.pk, state__in=LabSession.ACTIVE_STATES).values_list(
            "lab_id", flat=True
        )
    )
    # Every lab's best score in one query (best_score per lab would be one query each).
    best = dict(
        Submission.objects.filter(user_id=request.user.pk, state=Submission.State.DONE)
        .values("lab_id")
        .annotate(best=Max("score"))
        .values_list("lab_id", "best")
    )
    for lab in labs:
        lab.in_progress = lab.pk in active
        lab.best = best.get(lab.pk)
        lab.max_score = max_score(lab.definition)
    return render(request, "labs/lab_list.html", {"labs": labs})


@login_required
def lab_detail(request, slug):
    lab = get_object_or_404(Lab, slug=slug, is_published=True)
    context = {
        "lab": lab,
        "steps": lab_steps(lab),
        "files": expected_files(lab) if lab.scope == Lab.Scope.NONE else [],
        "best": best_score(request.user, lab),
        "max_score": max_score(lab.definition),
        "grade_files_url": _grade_files_url(lab),
        "lessons": related_lessons(lab),
    }
    return render(request, "labs/lab_detail.html", context)


def related_lessons(lab) -> list:
    """The published lessons this lab practises (lab.definition["lessons"] holds their slugs)."""
    slugs = [s for s in lab.definition.get("lessons") or [] if isinstance(s, str)]
    found = Lesson.objects.filter(slug__in=slugs, status=Lesson.Status.PUBLISHED).select_related("course")
    by_slug = {lesson.slug: lesson for lesson in found}
    return [by_slug[s] for s in slugs if s in by_slug]


def _grade_files_url(lab) -> str:
    if lab.scope != Lab.Scope.NONE:
        return ""
    return reverse("labs-grade-files", args=[lab.slug])


def lab_steps(lab) -> list[dict]:
    """Steps with their instructions as HTML.

    The lab sync renders and sanitises each step's Markdown once ("html"); a step that
    has only raw text is shown as escaped paragraphs rather than trusted.
    """
    steps = []
    for number, step in enumerate(lab.definition.get("steps") or [], start=1):
        if not isinstance(step, dict):
            continue
        html = step.get("html") or step.get("instructions_html")
        if html:
            body = mark_safe(html)  # sanitised with nh3 at sync time
        else:
            body = mark_safe(linebreaks(escape(step.get("instructions") or step.get("text") or "")))
        steps.append({"number": number, "title": step.get("title") or f"{number}단계", "html": body})
    return steps


def expected_files(lab) -> list[dict]:
    """The files a no-cluster lab asks for: [{"name", "mode", "starter"}]."""
    files = []
    for entry in lab.definition.get("files") or []:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        name = str(entry["name"])
        kind = entry.get("kind") or ("dockerfile" if name.lower().startswith("dockerfile") else "manifests")
        mode = "dockerfile" if kind == "dockerfile" else "yaml"
        files.append({"name": name, "kind": kind, "mode": mode, "starter": entry.get("starter") or ""})
    return files
