import stat
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kubernetes import client

from labs.models import LabSession
from labs.sandbox import services


@pytest.fixture
def ready_session(student, lab):
    now = timezone.now()
    session = LabSession.objects.create(
        user=student, lab=lab, state="ready", namespace="lab-x", ready_at=now,
        last_activity_at=now - timedelta(minutes=5), expires_at=now + timedelta(minutes=30),
    )  # fmt: skip
    session.set_kubeconfig("apiVersion: v1\nkind: Config\n")
    session.save()
    return session


def test_activity_pushes_the_idle_deadline(ready_session):
    before = ready_session.idle_deadline
    services.record_activity(ready_session)
    assert LabSession.objects.get(pk=ready_session.pk).idle_deadline > before


def test_extending_adds_time_up_to_the_limit(ready_session, settings):
    settings.LAB_MAX_EXTENSIONS = 1
    settings.LAB_EXTENSION_MINUTES = 30
    before = ready_session.expires_at
    extended = services.extend_session(ready_session)
    assert extended.extensions == 1
    assert extended.expires_at == before + timedelta(minutes=30)
    with pytest.raises(services.SessionError, match="최대 1번"):
        services.extend_session(extended)


def test_the_extend_button_disappears_at_the_limit(htmx_client, ready_session, settings):
    settings.LAB_MAX_EXTENSIONS = 1
    url = reverse("labs-session-extend", args=[ready_session.pk])
    assert htmx_client.post(url).status_code == 200
    refused = htmx_client.post(url)
    assert refused.status_code == 409
    assert "최대 1번까지 연장" in refused.content.decode()


def test_an_expired_session_is_not_usable_and_gives_no_credentials(ready_session):
    LabSession.objects.filter(pk=ready_session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    ready_session.refresh_from_db()
    assert services.is_usable(ready_session) is False
    with pytest.raises(services.SessionError):
        services.session_api_client(ready_session)


def test_session_kubeconfig_is_a_private_file_removed_afterwards(ready_session):
    with services.session_kubeconfig(ready_session) as path:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text() == ready_session.kubeconfig_text
    assert not path.exists()


@pytest.mark.cluster
def test_an_extension_renews_the_token(provisioned, student):
    session = provisioned(student)
    old = session.kubeconfig_text
    session = services.extend_session(session)
    assert session.kubeconfig_text != old
    with services.session_api_client(session) as api:
        assert client.CoreV1Api(api).list_namespaced_pod(session.namespace).items == []
