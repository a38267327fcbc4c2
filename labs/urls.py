"""Every URL of the labs app, in one ordered list.

Fixed first words ("gradebook/", "sessions/", "submissions/", "sandbox-providers/") come
before the lab pages, whose first segment is a slug; the bare "<slug>/" lab page is last so
no fixed word is ever read as a lab slug. Names carry the app prefix (DESIGN: `labs-…`).
"""

from django.urls import path

from labs.views import catalog, continuity, gradebook, grading, sessions, tasks, workspace

urlpatterns = [
    path("", catalog.lab_list, name="labs-list"),
    # Instructors
    path("gradebook/", gradebook.overview, name="labs-gradebook"),
    path("gradebook/<slug:slug>/", gradebook.lab_detail, name="labs-gradebook-lab"),
    path("sandbox-providers/", sessions.provider_status, name="labs-sandbox-providers"),
    # A running sandbox session
    path("sessions/<int:session_id>/", sessions.session_status, name="labs-session-status"),
    path("sessions/<int:session_id>/timer/", sessions.session_timer, name="labs-session-timer"),
    path("sessions/<int:session_id>/extend/", sessions.session_extend, name="labs-session-extend"),
    path("sessions/<int:session_id>/end/", sessions.session_end, name="labs-session-end"),
    path(
        "sessions/<int:session_id>/kubeconfig/", sessions.session_kubeconfig, name="labs-session-kubeconfig"
    ),
    path("sessions/<int:session_id>/heartbeat/", continuity.heartbeat, name="labs-session-heartbeat"),
    path("sessions/<int:session_id>/resume/", continuity.resume, name="labs-session-resume"),
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
    path("sessions/<int:session_id>/grading/", grading.grading_panel, name="labs-grading-panel"),
    path("sessions/<int:session_id>/grade/", grading.grade_session, name="labs-grade"),
    path("submissions/<int:submission_id>/", grading.submission_result, name="labs-submission"),
    # One lab
    path("<slug:slug>/session/", sessions.session_panel, name="labs-session-panel"),
    path("<slug:slug>/session/start/", sessions.session_start, name="labs-session-start"),
    path("<slug:slug>/sandbox/", sessions.session_page, name="labs-session-page"),
    path("<slug:slug>/grade-files/", grading.grade_files, name="labs-grade-files"),
    path("<slug:slug>/submissions/", grading.submission_history, name="labs-submission-history"),
    path("<slug:slug>/solution/", grading.reveal_solution, name="labs-solution"),
    path("<slug:slug>/", catalog.lab_detail, name="labs-detail"),
]
