from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import instructor_required

from ..models import Lesson
from ..services import authoring

TOO_BIG = "보낸 내용이 너무 큽니다 (최대 1MB). 레슨을 나누거나 본문을 줄여 주세요."


def _source(request) -> str:
    # RequestDataTooBig surfaces on first access to POST; turned into a Korean 413 below.
    return request.POST.get("source", "")


@instructor_required
def lesson_list(request):
    lessons = Lesson.objects.select_related("course", "module").defer(
        "source", "body_html", "toc_html", "draft_source"
    )
    return render(request, "courses/authoring/list.html", {"lessons": lessons})


@instructor_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = get_object_or_404(Lesson.objects.select_related("course", "module"), pk=pk)
    context = {"lesson": lesson, "errors": [], "source": lesson.draft_source or lesson.source}
    if request.method == "GET":
        context.update(_preview_context(lesson, context["source"]))
        return render(request, "courses/authoring/edit.html", context)
    try:
        source = _source(request)
    except RequestDataTooBig:
        return render(request, "courses/error.html", {"message": TOO_BIG}, status=413)
    action = request.POST.get("action", "draft")
    context["source"] = source
    if action == "discard":
        if authoring.discard_draft(lesson):
            messages.success(request, "초안을 버렸습니다. 공개된 버전으로 돌아갔습니다.")
        else:
            messages.info(request, "버릴 초안이 없습니다.")
        return redirect("courses-author-edit", pk=lesson.pk)
    try:
        if action == "publish":
            authoring.publish(lesson, source)
            messages.success(request, "레슨을 공개했습니다. 학생들에게 바로 보입니다.")
        else:
            authoring.save_draft(lesson, source)
            messages.success(
                request, "초안을 저장했습니다. 공개하기 전까지 학생들에게는 이전 버전이 보입니다."
            )
    except authoring.LessonSourceInvalid as exc:
        context["errors"] = exc.errors
        context.update(_preview_context(lesson, source))
        return render(request, "courses/authoring/edit.html", context, status=400)
    return redirect("courses-author-edit", pk=lesson.pk)


def _preview_context(lesson, source) -> dict:
    try:
        data, rendered = authoring.preview(lesson, source)
    except authoring.LessonSourceInvalid as exc:
        return {"preview_errors": exc.errors}
    return {
        "data": data,
        "rendered": rendered,
        "quiz_preview": authoring.quiz_preview(data),
        "preview_errors": [],
    }


@instructor_required
@require_POST
def lesson_preview(request, pk):
    lesson = get_object_or_404(Lesson, pk=pk)
    try:
        context = _preview_context(lesson, _source(request))
    except RequestDataTooBig:
        context = {"preview_errors": [TOO_BIG]}
        return render(request, "courses/authoring/edit.html#preview", context, status=413)
    status = 400 if context["preview_errors"] else 200
    return render(request, "courses/authoring/edit.html#preview", context, status=status)
