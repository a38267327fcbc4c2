"""Another student's session is a 404 on every workspace URL, and nothing runs."""

import pytest
from django.urls import reverse

from labs.models import ConsoleCommand

WORKSPACE_URLS = [
    ("labs-console", "post", {"command": "kubectl get pods"}),
    ("labs-validate", "post", {"yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"}),
    ("labs-apply", "post", {"yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"}),
    ("labs-resources", "get", {}),
    ("labs-console-history", "get", {}),
]


@pytest.mark.parametrize(("name", "method", "data"), WORKSPACE_URLS)
def test_student_cannot_use_another_students_session(
    student_client, other_session, kubectl_shim, name, method, data
):
    response = getattr(student_client, method)(reverse(name, args=[other_session.pk]), data)
    assert response.status_code == 404
    assert kubectl_shim.calls() == []
    assert ConsoleCommand.objects.count() == 0


@pytest.mark.parametrize(("name", "method", "data"), WORKSPACE_URLS)
def test_unknown_session_is_a_404(student_client, name, method, data):
    response = getattr(student_client, method)(reverse(name, args=[999999]), data)
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "data"), WORKSPACE_URLS)
def test_anonymous_visitor_must_log_in(client, other_session, name, method, data):
    response = getattr(client, method)(reverse(name, args=[other_session.pk]), data)
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
