import pytest
from django.urls import reverse

from labs.models import LabSession
from labs.sandbox import capacity, services
from labs.sandbox.lifecycle import fail_session

S = LabSession.State

ADMIN_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
"""


@pytest.fixture(autouse=True)
def shared_cluster_configured(settings, tmp_path):
    # These tests never reach the cluster (tasks are not sent inside a test transaction);
    # the namespace provider only needs to know where the cluster would be.
    path = tmp_path / "admin-kubeconfig.yaml"
    path.write_text(ADMIN_KUBECONFIG)
    settings.LAB_CLUSTER_KUBECONFIG = str(path)


def test_starting_again_returns_the_same_active_session(student, lab):
    first = services.start_session(student, lab)
    assert services.start_session(student, lab).pk == first.pk
    assert LabSession.objects.filter(user=student).count() == 1


def test_a_student_has_a_total_limit_of_live_sessions(student, lab, other_lab, settings):
    settings.LAB_MAX_SESSIONS_PER_STUDENT = 1
    services.start_session(student, lab)
    with pytest.raises(services.SessionError, match="1개까지"):
        services.start_session(student, other_lab)


def test_over_capacity_the_request_waits_and_shows_its_position(
    student, other_student, lab, settings, django_user_model
):
    settings.LAB_CAPACITY = {**settings.LAB_CAPACITY, "namespace": 1}
    first = services.start_session(student, lab)
    second = services.start_session(other_student, lab)
    third_user = django_user_model.objects.create_user("third", password="pw-third-1234")
    third = services.start_session(third_user, lab)
    assert (first.waiting, second.waiting, third.waiting) == (False, True, True)
    assert capacity.queue_position(first) is None
    assert capacity.queue_position(second) == 1
    assert capacity.queue_position(third) == 2


def test_the_queue_moves_when_a_session_finishes(student, other_student, lab, settings):
    settings.LAB_CAPACITY = {**settings.LAB_CAPACITY, "namespace": 1}
    first = services.start_session(student, lab)
    second = services.start_session(other_student, lab)
    fail_session(first, "테스트 실패")  # frees its slot and promotes the next in line
    second.refresh_from_db()
    assert second.waiting is False
    assert second.state == S.REQUESTED


def test_the_panel_shows_the_queue_position(htmx_client_for, student, other_student, lab, settings):
    settings.LAB_CAPACITY = {**settings.LAB_CAPACITY, "namespace": 1}
    services.start_session(student, lab)
    response = htmx_client_for(other_student).post(reverse("labs-session-start", args=[lab.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "대기 순서" in body and "1번째" in body


def test_starting_a_lab_that_needs_an_unavailable_provider_says_why(htmx_client, lab, settings):
    lab.containers = True  # only kind can serve it, and there is no docker here
    lab.save()
    settings.LAB_KIND_BINARY = "kind-that-does-not-exist"
    response = htmx_client.post(reverse("labs-session-start", args=[lab.slug]))
    assert response.status_code == 409
    assert "사용할 수 없습니다" in response.content.decode()
    assert not LabSession.objects.exists()
