"""The live resource view: what the student made, drawn from the real cluster; never Secret data."""

import base64
import time

import pytest
from django.urls import reverse

from tests.labs.workspace.test_editor_cluster import DEPLOYMENT

SERVICE_AND_CONFIG = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {GREETING: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: db-password}
stringData: {password: hunter2-very-secret}
"""


@pytest.mark.cluster
def test_resource_view_shows_deployment_pods_service_and_secret_names_only(
    htmx_client, student_client, student, provisioned
):
    session = provisioned(student)
    applied = student_client.post(
        reverse("labs-apply", args=[session.pk]), {"yaml": DEPLOYMENT + "---\n" + SERVICE_AND_CONFIG}
    )
    assert applied.status_code == 200, applied.content.decode()
    url = reverse("labs-resources", args=[session.pk])
    deadline = time.monotonic() + 30
    while True:
        body = htmx_client.get(url).content.decode()
        # Pods turn ready before the Deployment's status says so: wait for both.
        if body.count("res-pod ok") == 2 and "res-ep ok" in body and "2/2 준비" in body:
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    assert "Deployment" in body and "<b>web</b>" in body and "2/2 준비" in body
    assert "ReplicaSet" in body and "web-" in body
    assert "web-config" in body and "db-password" in body
    assert "hunter2-very-secret" not in body
    assert base64.b64encode(b"hunter2-very-secret").decode() not in body


@pytest.mark.cluster
def test_resource_view_of_an_empty_sandbox_says_so(student_client, student, provisioned):
    session = provisioned(student)
    body = student_client.get(reverse("labs-resources", args=[session.pk])).content.decode()
    assert "아직 워크로드가 없습니다" in body and "서비스가 없습니다" in body


def test_an_unreachable_api_server_gives_a_korean_message_not_a_500(htmx_client, ready_session):
    # ready_session's kubeconfig points at 127.0.0.1:1, where nothing listens.
    response = htmx_client.get(reverse("labs-resources", args=[ready_session.pk]))
    assert response.status_code == 200
    assert "연결하지 못했습니다" in response.content.decode()


def test_an_ended_session_stops_the_polling(htmx_client, ready_session):
    ready_session.state = "ended"
    ready_session.save()
    response = htmx_client.get(reverse("labs-resources", args=[ready_session.pk]))
    assert response.status_code == 286  # htmx: stop polling
    assert "끝났습니다" in response.content.decode()


def test_unreadable_credentials_stop_the_polling_instead_of_a_500(htmx_client, ready_session):
    ready_session.credentials = "not-a-fernet-token"  # e.g. the encryption key changed
    ready_session.save()
    response = htmx_client.get(reverse("labs-resources", args=[ready_session.pk]))
    assert response.status_code == 286
    assert "끝났습니다" in response.content.decode()
