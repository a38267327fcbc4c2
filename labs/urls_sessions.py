from django.urls import path

from labs.views import continuity, sessions

urlpatterns = [
    path("<slug:slug>/session/", sessions.session_panel, name="labs-session-panel"),
    path("<slug:slug>/session/start/", sessions.session_start, name="labs-session-start"),
    path("<slug:slug>/sandbox/", sessions.session_page, name="labs-session-page"),
    path("sessions/<int:session_id>/", sessions.session_status, name="labs-session-status"),
    path("sessions/<int:session_id>/timer/", sessions.session_timer, name="labs-session-timer"),
    path("sessions/<int:session_id>/extend/", sessions.session_extend, name="labs-session-extend"),
    path("sessions/<int:session_id>/end/", sessions.session_end, name="labs-session-end"),
    path(
        "sessions/<int:session_id>/kubeconfig/", sessions.session_kubeconfig, name="labs-session-kubeconfig"
    ),
    path("sessions/<int:session_id>/heartbeat/", continuity.heartbeat, name="labs-session-heartbeat"),
    path("sessions/<int:session_id>/resume/", continuity.resume, name="labs-session-resume"),
    path("sandbox-providers/", sessions.provider_status, name="labs-sandbox-providers"),
]
