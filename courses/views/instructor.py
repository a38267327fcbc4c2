import csv

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.decorators import instructor_required

from ..models import Course
from ..services.overview import class_overview
from ..services.student_report import student_report


def _course(request):
    courses = list(Course.objects.filter(is_published=True))
    course = next(
        (c for c in courses if c.slug == request.GET.get("course")), courses[0] if courses else None
    )
    return courses, course


@instructor_required
def overview(request):
    courses, course = _course(request)
    context = {"courses": courses, "course": course, "overview": class_overview(course) if course else None}
    return render(request, "courses/instructor/overview.html", context)


@instructor_required
def overview_csv(request):
    """The class table as CSV (UTF-8 with BOM, so spreadsheet programs read the Korean)."""
    _, course = _course(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kubaeum-{course.slug if course else "class"}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    if course is None:
        writer.writerow(["공개된 강좌가 없습니다."])
        return response
    data = class_overview(course)
    writer.writerow(
        ["학생", "레슨 완료", "레슨 수", "퀴즈 정답", "퀴즈 응답", "퀴즈 문항 수"]
        + [f"모듈 {i}: {m.title}" for i, m in enumerate(data["modules"], start=1)]
        + ["마지막 학습"]
    )
    for row in data["rows"]:
        writer.writerow(
            [row.user.username, row.completed, data["lesson_count"], row.correct, row.answered]
            + [data["question_count"]]
            + [f"{n}/{m.n}" for m, n in row.modules]
            + [row.last_seen.isoformat(timespec="minutes") if row.last_seen else ""]
        )
    return response


@instructor_required
def student_detail(request, user_id):
    student = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    courses, course = _course(request)
    context = {
        "student": student,
        "courses": courses,
        "course": course,
        "report": student_report(student, course) if course else None,
    }
    return render(request, "courses/instructor/student.html", context)
