import pytest
from django.urls import reverse

from labs.models import LabSession

KUBECONFIG = "apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    token: owner-only-token\n"


@pytest.fixture
def others_session(other_student, lab):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    session = LabSession.objects.create(
        user=other_student, lab=lab, state="ready", namespace="lab-x", ready_at=now, last_activity_at=now,
        expires_at=now + timedelta(hours=1),
    )  # fmt: skip
    session.set_kubeconfig(KUBECONFIG)
    session.save()
    return session


@pytest.mark.parametrize(
    "name,method",
    [
        ("labs-session-status", "get"),
        ("labs-session-timer", "get"),
        ("labs-session-extend", "post"),
        ("labs-session-end", "post"),
        ("labs-session-kubeconfig", "get"),
    ],
)
def test_student_cannot_reach_another_students_session(student_client, others_session, name, method):
    response = getattr(student_client, method)(reverse(name, args=[others_session.pk]))
    assert response.status_code == 404
    assert b"owner-only-token" not in response.content
    others_session.refresh_from_db()
    assert others_session.state == "ready"
    assert others_session.extensions == 0


def test_owner_downloads_the_kubeconfig_and_nobody_else_does(client, other_student, student, others_session):
    client.force_login(other_student)
    response = client.get(reverse("labs-session-kubeconfig", args=[others_session.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kubaeum-lab.yaml"'
    assert b"owner-only-token" in response.content
    client.force_login(student)
    assert client.get(reverse("labs-session-kubeconfig", args=[others_session.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, others_session):
    response = client.get(reverse("labs-session-kubeconfig", args=[others_session.pk]))
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"] or "login" in response["Location"]


def test_panel_of_a_ready_session_shows_timer_extend_end_and_download(
    htmx_client_for, other_student, others_session
):
    response = htmx_client_for(other_student).get(
        reverse("labs-session-panel", args=[others_session.lab.slug])
    )
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "남은 시간",
        "연장",
        "실습 종료",
        "내 kubectl로 접속하기",
        "kubectl --kubeconfig ./kubaeum-lab.yaml get pods",
    ):
        assert text in body
    assert "owner-only-token" not in body


def test_staff_see_which_providers_are_available_here(admin_client, settings):
    settings.LAB_KIND_BINARY = "no-such-kind"
    settings.LAB_CLUSTER_KUBECONFIG = ""  # the suite's cluster fixture sets one for the whole run
    page = admin_client.get(reverse("labs-sandbox-providers"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-provider="kind"' in body and "kind CLI가 없습니다" in body
    assert "공유 실습 클러스터" in body and "kwok — 파드는 시뮬레이션만" in body


def test_students_cannot_open_the_provider_status_page(student_client):
    response = student_client.get(reverse("labs-sandbox-providers"))
    assert response.status_code == 302


def test_the_timer_of_an_ended_session_replaces_the_whole_panel(
    htmx_client_for, other_student, others_session
):
    client = htmx_client_for(other_student)
    url = reverse("labs-session-timer", args=[others_session.pk])
    assert 'class="session-timer"' in client.get(url).content.decode()
    LabSession.objects.filter(pk=others_session.pk).update(
        state="ended", end_reason="오랫동안 활동이 없어 실습을 종료했습니다."
    )
    response = client.get(url)
    assert response["HX-Retarget"] == "#lab-session"
    assert "실습 시작" in response.content.decode()


def test_the_downloaded_kubeconfig_uses_the_public_server_address(
    client, other_student, others_session, settings
):
    settings.LAB_CLUSTER_PUBLIC_SERVER = "https://k8s.kubaeum.example:6443"
    others_session.set_kubeconfig(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kubaeum\n  cluster:\n    server: https://127.0.0.1:1234\n"
    )
    others_session.save()
    client.force_login(other_student)
    body = client.get(reverse("labs-session-kubeconfig", args=[others_session.pk])).content.decode()
    assert "https://k8s.kubaeum.example:6443" in body and "127.0.0.1" not in body


def test_owner_ends_a_session_with_htmx_and_gets_the_panel_back(
    htmx_client_for, other_student, others_session
):
    response = htmx_client_for(other_student).post(reverse("labs-session-end", args=[others_session.pk]))
    assert response.status_code == 200
    assert "종료 중" in response.content.decode()
    others_session.refresh_from_db()
    assert others_session.state == "ending"


def test_owner_extends_without_javascript_and_is_sent_back_to_the_session_page(
    client, other_student, others_session
):
    client.force_login(other_student)
    response = client.post(reverse("labs-session-extend", args=[others_session.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("labs-session-page", args=[others_session.lab.slug])
    others_session.refresh_from_db()
    assert others_session.extensions == 1


def test_a_cookie_copied_before_logout_no_longer_downloads_the_kubeconfig(
    client, other_student, others_session
):
    from django.test import Client

    client.force_login(other_student)
    url = reverse("labs-session-kubeconfig", args=[others_session.pk])
    assert client.get(url).status_code == 200
    copied = Client()
    copied.cookies = client.cookies.__class__(client.cookies)  # the same signed session cookie
    assert copied.get(url).status_code == 200
    client.post(reverse("logout"))
    response = copied.get(url)
    assert response.status_code == 403
    assert "다시 로그인" in response.content.decode()
    assert b"owner-only-token" not in response.content
    # Pages still trust the copied cookie (no query per page); only credentials are refused.
    client.force_login(other_student)  # a new login gets a new id and works again
    assert client.get(url).status_code == 200
