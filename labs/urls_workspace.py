from django.urls import path, re_path

from labs.views import catalog, tasks, workspace

# --- WORKSPACE: lab pages, console, editor, resource view ---------------------------------
urlpatterns = [
    path("", catalog.lab_list, name="labs-list"),
    path("sessions/<int:session_id>/console/", workspace.console_run, name="labs-console"),
    path(
        "sessions/<int:session_id>/console/<int:command_id>/",
        workspace.console_result,
        name="labs-console-result",
    ),
    path(
        "sessions/<int:session_id>/console/history/", workspace.console_history, name="labs-console-history"
    ),
    path("sessions/<int:session_id>/validate/", workspace.editor_validate, name="labs-validate"),
    path("sessions/<int:session_id>/apply/", workspace.editor_apply, name="labs-apply"),
    path("sessions/<int:session_id>/resources/", workspace.resources, name="labs-resources"),
    path("sessions/<int:session_id>/tasks/", tasks.live_tasks, name="labs-live-tasks"),
    # Last, and never for the sandbox pages' own top-level words (labs/urls.py lists our
    # routes first, so a bare "<slug>/" would shadow "sandbox-providers/").
    re_path(
        r"^(?!sandbox-providers/|sessions/)(?P<slug>[-a-zA-Z0-9_]+)/$", catalog.lab_detail, name="labs-detail"
    ),
]
# --- end WORKSPACE ------------------------------------------------------------------------

# --- GRADING: 채점하기, result polling, history, reference solution ----------------------------
from labs.views import grading  # noqa: E402

urlpatterns = [
    path("sessions/<int:session_id>/grading/", grading.grading_panel, name="labs-grading-panel"),
    path("sessions/<int:session_id>/grade/", grading.grade_session, name="labs-grade"),
    path("submissions/<int:submission_id>/", grading.submission_result, name="labs-submission"),
    path("<slug:slug>/grade-files/", grading.grade_files, name="labs-grade-files"),
    path("<slug:slug>/submissions/", grading.submission_history, name="labs-submission-history"),
    path("<slug:slug>/solution/", grading.reveal_solution, name="labs-solution"),
] + urlpatterns
# --- end GRADING ----------------------------------------------------------------------------
