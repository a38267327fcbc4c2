"""Lab list and lab page (the page hosts the session panel, or the file editors)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from courses.models import Lesson
from labs.grading.services import best_score
from labs.models import Lab, LabSession, Submission


@login_required
def lab_list(request):
    labs = list(Lab.objects.visible_to(request.user))
    active = set(LabSession.objects.of(request.user).active().values_list("lab_id", flat=True))
    # Every lab's best score in one query (best_score per lab would be one query each).
    best = Submission.objects.of(request.user).best_by_lab()
    for lab in labs:
        lab.in_progress = lab.pk in active
        lab.best = best.get(lab.pk)
    return render(request, "labs/lab_list.html", {"labs": labs})


@login_required
def lab_detail(request, slug):
    lab = get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)
    context = {
        "lab": lab,
        "steps": lab_steps(lab),
        "files": expected_files(lab) if lab.scope == Lab.Scope.NONE else [],
        "best": best_score(request.user, lab),
        "max_score": lab.spec.max_score,
        "grade_files_url": _grade_files_url(lab),
        "lessons": related_lessons(lab),
        "next_lab": next_lab(lab),
    }
    context["next_lesson"] = next_lesson(context["lessons"])
    return render(request, "labs/lab_detail.html", context)


def related_lessons(lab) -> list:
    """The lessons this lab practises that a student can open (published, in a published
    module and course), in the lab file's order."""
    slugs = lab.spec.lessons
    found = Lesson.objects.published().filter(slug__in=slugs).select_related("course")
    by_slug = {lesson.slug: lesson for lesson in found}
    return [by_slug[s] for s in slugs if s in by_slug]


def next_lesson(lessons):
    """The lesson after the last one this lab practises, in its course's order."""
    if not lessons:
        return None
    last = lessons[-1]
    ordered = list(
        Lesson.objects.published()
        .filter(course_id=last.course_id)
        .select_related("course")
        .order_by("module__order", "order")
        .only("slug", "title", "course__slug")
    )
    position = next((i for i, lesson in enumerate(ordered) if lesson.pk == last.pk), None)
    if position is None or position + 1 >= len(ordered):
        return None
    return ordered[position + 1]


def _grade_files_url(lab) -> str:
    if lab.scope != Lab.Scope.NONE:
        return ""
    return reverse("labs-grade-files", args=[lab.slug])


def lab_steps(lab) -> list[dict]:
    """Steps with their instructions as HTML (rendered and sanitised with nh3 at sync time)
    and their checks, which the page shows as the step's live task list."""
    return [
        {
            "number": step.number,
            "title": step.title,
            "html": mark_safe(step.instructions_html),
            "checks": [{"id": c.id, "title": c.title, "points": c.points} for c in step.checks],
        }
        for step in lab.spec.steps
    ]


def next_lab(lab):
    """The published lab after this one in the lab list's order, offered when this one is done."""
    later = Lab.objects.published().exclude(pk=lab.pk)
    after = Q(order__gt=lab.order) | Q(order=lab.order, slug__gt=lab.slug)
    return later.filter(after).order_by("order", "slug").first()


def expected_files(lab) -> list[dict]:
    """The files a no-cluster lab asks for: [{"name", "mode", "starter"}]."""
    return [
        {
            "name": spec.name,
            "kind": spec.kind,
            "mode": "dockerfile" if spec.kind == "dockerfile" else "yaml",
            "starter": spec.starter,
        }
        for spec in lab.spec.files
    ]
