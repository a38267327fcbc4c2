from django.urls import path

from .views import authoring, catalog, instructor, lesson

urlpatterns = [
    path("", catalog.home, name="courses-home"),
    path("hello/", catalog.hello, name="courses-hello"),
    path("courses/", catalog.catalog, name="courses-catalog"),
    path("courses/<slug:course>/", catalog.course_detail, name="courses-course"),
    path("courses/<slug:course>/<slug:lesson>/", lesson.lesson_detail, name="courses-lesson"),
    path("courses/<slug:course>/<slug:lesson>/complete/", lesson.complete, name="courses-lesson-complete"),
    path(
        "courses/<slug:course>/<slug:lesson>/quiz/<slug:question>/", lesson.answer, name="courses-quiz-answer"
    ),
    path("instructor/", instructor.overview, name="courses-instructor"),
    path("instructor/class.csv", instructor.overview_csv, name="courses-instructor-csv"),
    path("instructor/students/<int:user_id>/", instructor.student_detail, name="courses-instructor-student"),
    path("instructor/lessons/", authoring.lesson_list, name="courses-author-list"),
    path("instructor/lessons/<int:pk>/", authoring.lesson_edit, name="courses-author-edit"),
    path("instructor/lessons/<int:pk>/preview/", authoring.lesson_preview, name="courses-author-preview"),
]
