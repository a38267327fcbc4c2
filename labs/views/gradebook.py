"""Instructors' lab gradebook: pass rates per lab, then each student's attempts."""

from django.shortcuts import get_object_or_404, render

from accounts.decorators import instructor_required
from labs.grading import gradebook
from labs.models import Lab


@instructor_required
def overview(request):
    return render(request, "labs/gradebook.html", {"summaries": gradebook.lab_summaries()})


@instructor_required
def lab_detail(request, slug):
    lab = get_object_or_404(Lab, slug=slug)
    return render(request, "labs/gradebook_lab.html", {"lab": lab, "rows": gradebook.lab_students(lab)})
