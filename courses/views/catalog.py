from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ..models import Course
from ..services import page_cache, progress


def hello(request):
    # The baseline for bench/lesson_throughput.py: the cheapest possible Django response.
    return HttpResponse("hello", content_type="text/plain")


def _cards(user):
    courses = list(Course.objects.filter(is_published=True))
    bars = progress.course_bars(user, courses) if user.is_authenticated else {}
    return [{"course": course, "bar": bars.get(course.pk)} for course in courses]


def home(request):
    target = progress.continue_target(request.user)
    return render(request, "courses/home.html", {"cards": _cards(request.user), "target": target})


def catalog(request):
    return render(request, "courses/catalog.html", {"cards": _cards(request.user)})


def course_detail(request, course):
    # Cached per student like lesson pages (page_cache): the key adds the lesson they
    # visited last, which decides the "이어서 학습하기" target.
    user_id = page_cache.session_user_id(request)
    key = page_cache.page_key(request, "course", course, progress.last_visited(user_id)) if user_id else None
    if cached := page_cache.get(key):
        return HttpResponse(cached)
    response = _render_course(request, course)
    if request.user.is_authenticated:
        page_cache.put(key, response.content)
    return response


def _render_course(request, course):
    course = get_object_or_404(Course, slug=course, is_published=True)
    modules, bar = progress.outline(request.user, course)
    target = progress.continue_target(request.user)
    if target is not None and target.course_id != course.pk:
        target = None
    first = next((items[0] for _, items, _ in modules if items), None)
    return render(
        request,
        "courses/course.html",
        {
            "course": course,
            "modules": modules,
            "bar": bar,
            "target": target or first,
            "started": target is not None,
        },
    )
