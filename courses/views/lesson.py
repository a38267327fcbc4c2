from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from ..models import Lesson, QuizAnswer
from ..services import page_cache, progress, quiz
from ..services.lesson_page import lesson_context, quiz_item


def _lesson(course_slug, lesson_slug):
    return get_object_or_404(
        Lesson.objects.published()
        .select_related("course", "module")
        .defer("source", "draft_source", "course__source"),
        course__slug=course_slug,
        slug=lesson_slug,
    )


def lesson_detail(request, course, lesson):
    # Fast path: this student's own page, rendered by the slow path below for the same
    # signed-in session (the key includes the session's user id and auth hash).
    key = page_cache.page_key(request, "lesson", course, lesson)
    if cached := page_cache.get(key):
        lesson_pk, content = cached
        progress.record_visit(page_cache.session_user_id(request), lesson_pk)
        return HttpResponse(content)
    return _render_lesson(request, course, lesson, key)


@login_required
def _render_lesson(request, course, lesson, key):
    lesson = _lesson(course, lesson)
    progress.record_visit(request.user.pk, lesson.pk)
    response = render(request, "courses/lesson.html", lesson_context(request.user, lesson))
    page_cache.put(key, (lesson.pk, response.content))
    return response


@login_required
@require_POST
def complete(request, course, lesson):
    lesson = _lesson(course, lesson)
    progress.complete(request.user, lesson)
    page_cache.bump_progress(request)
    if not request.htmx:
        return redirect("courses-lesson", course=lesson.course.slug, lesson=lesson.slug)
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "completed": True,
        "bar": progress.course_bar(request.user, lesson.course),
        "oob": True,
    }
    # The button's own region, plus the course progress bar elsewhere on the page (oob).
    html = render_to_string("courses/lesson.html#completion", context, request)
    html += render_to_string("courses/lesson.html#course_progress", context, request)
    return HttpResponse(html)


@login_required
@require_POST
def answer(request, course, lesson, question):
    lesson = _lesson(course, lesson)
    questions = list(lesson.questions.all())
    q = next((x for x in questions if x.key == question), None)
    if q is None:
        if request.htmx:
            return HttpResponse(
                '<p class="quiz-error" role="alert">이 레슨에 없는 문항입니다. 페이지를 새로 고쳐 주세요.</p>',
                status=404,
            )
        raise Http404("이 레슨에 없는 문항입니다.")
    status, error = 200, None
    try:
        record = quiz.submit(request.user, q, request.POST.getlist("choice"), request.POST.get("answer", ""))
        page_cache.bump_progress(request)
    except quiz.AnswerInvalid as exc:
        status, error = 400, str(exc)
        record = QuizAnswer.objects.filter(user=request.user, question=q).first()
    if not request.htmx:
        if error:
            return render(request, "courses/error.html", {"message": error}, status=400)
        return redirect(f"{lesson.get_absolute_url()}#q-{q.key}")
    item = quiz_item(request.user.pk, q, record, questions.index(q) + 1, error=error, fresh=error is None)
    context = {"item": item, "lesson": lesson, "course": lesson.course}
    return render(request, "courses/lesson.html#question", context, status=status)
