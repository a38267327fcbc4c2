from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ..models import Course
from ..services import lab_links, page_cache, progress


def hello(request):
    # The baseline for bench/lesson_throughput.py: the cheapest possible Django response.
    return HttpResponse("hello", content_type="text/plain")


def _cards(user):
    courses = list(Course.objects.filter(is_published=True))
    bars = progress.course_bars(user, courses) if user.is_authenticated else {}
    return [{"course": course, "bar": bars.get(course.pk)} for course in courses]


def home(request):
    target = progress.continue_target(request.user)
    context = {"cards": _cards(request.user), "target": target}
    if request.user.is_authenticated:
        context["standing"] = _standing(request.user, context["cards"])
    return render(request, "courses/home.html", context)


def _standing(user, cards):
    """Where the student stands: lessons over all courses, labs finished and in progress."""
    statuses = lab_links.lab_statuses(user)
    return {
        "lessons_done": sum(c["bar"].done for c in cards if c["bar"]),
        "lessons_total": sum(c["bar"].total for c in cards if c["bar"]),
        "labs_done": sum(s.done for s in statuses),
        "labs_total": len(statuses),
        "labs_open": [s for s in statuses if s.active or (s.best is not None and not s.done)][:5],
    }


def catalog(request):
    return render(request, "courses/catalog.html", {"cards": _cards(request.user)})


def course_detail(request, course):
    # Cached per student like lesson pages (page_cache): the key adds the lesson they
    # visited last, which decides the "이어서 학습하기" target, and their labs' standing
    # (one query for both).
    user_id = page_cache.session_user_id(request)
    key = page_cache.page_key(request, "course", course, lab_links.page_version(user_id)) if user_id else None
    if cached := page_cache.get(key):
        return HttpResponse(cached)
    response = _render_course(request, course)
    if request.user.is_authenticated:
        page_cache.put(key, response.content)
    return response


def _render_course(request, course):
    course = get_object_or_404(Course, slug=course, is_published=True)
    modules, bar = progress.outline(request.user, course)
    statuses = lab_links.lab_statuses(request.user)
    after = lab_links.labs_after_lessons(statuses, [lesson for _, items, _ in modules for lesson in items])
    for module, items, _ in modules:
        for lesson in items:
            lesson.labs = after.get(lesson.pk, [])
        module.lab_count = sum(len(lesson.labs) for lesson in items)
    target = progress.continue_target(request.user)
    if target is not None and target.course_id != course.pk:
        target = None
    first = next((items[0] for _, items, _ in modules if items), None)
    # Long courses stay readable: only the module the student is in starts open.
    current = target or first
    open_module = current.module_id if current is not None else None
    return render(
        request,
        "courses/course.html",
        {
            "course": course,
            "modules": modules,
            "bar": bar,
            "target": target or first,
            "started": target is not None,
            "open_module": open_module,
            "labs_total": sum(len(lesson.labs) for _, items, _ in modules for lesson in items),
        },
    )
