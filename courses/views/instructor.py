from django.shortcuts import render

from accounts.decorators import instructor_required

from ..models import Course
from ..services.overview import class_overview


@instructor_required
def overview(request):
    courses = list(Course.objects.filter(is_published=True))
    course = next(
        (c for c in courses if c.slug == request.GET.get("course")), courses[0] if courses else None
    )
    context = {"courses": courses, "course": course, "overview": class_overview(course) if course else None}
    return render(request, "courses/instructor/overview.html", context)
