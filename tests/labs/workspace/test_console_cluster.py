"""The console against the real cluster, with a real session and the real kubectl."""

import re
import socket
import threading

import pytest

from labs.console import runner
from labs.models import ConsoleCommand
from tests.servers import free_port

pytestmark = pytest.mark.cluster


@pytest.fixture
def run(console):
    def run(client, session, command):
        response = console.run(client, session, command)
        return response.status_code, response.content.decode()

    return run


def test_kubectl_get_pods_works_in_the_students_namespace(student_client, student, provisioned, run):
    session = provisioned(student)
    status, body = run(student_client, session, "kubectl get pods")
    assert status == 200
    assert f"No resources found in {session.namespace} namespace." in body
    assert "종료 코드 0" in body
    assert ConsoleCommand.objects.get(session=session).exit_code == 0


def test_commands_change_the_sandbox_and_show_it(student_client, student, provisioned, run):
    session = provisioned(student)
    status, body = run(
        student_client, session, "kubectl create deployment web --image=kubaeum/web:1.0 --replicas=2"
    )
    assert status == 200 and "deployment.apps/web created" in body
    status, body = run(student_client, session, "kubectl get deployment web -o jsonpath='{.spec.replicas}'")
    assert status == 200 and '<pre class="console-out">2</pre>' in body


def test_the_session_cannot_see_another_namespace(student_client, student, other_student, provisioned, run):
    mine, theirs = provisioned(student), provisioned(other_student)
    status, body = run(student_client, mine, f"kubectl get pods -n {theirs.namespace}")
    assert status == 200  # kubectl ran; the API server said no
    assert "Forbidden" in body or "forbidden" in body
    assert "종료 코드 1" in body
    status, body = run(student_client, mine, "kubectl get pods -n kube-system")
    assert "forbidden" in body.lower()


def test_failed_logs_explain_that_kwok_has_no_containers(student_client, student, provisioned, run):
    session = provisioned(student)
    run(student_client, session, "kubectl run solo --image=kubaeum/web:1.0")
    status, body = run(student_client, session, "kubectl logs solo")
    assert "kwok" in body


def test_get_watch_is_stopped_after_a_few_seconds_with_what_it_saw(student_client, student, provisioned, run):
    session = provisioned(student)
    run(student_client, session, "kubectl run solo --image=kubaeum/web:1.0")
    status, body = run(student_client, session, "kubectl get pods -w")
    assert status == 200
    assert "solo" in body and "5초 동안 지켜본 뒤 멈췄습니다" in body
    assert "종료 코드 0" in body


def test_wait_asking_for_ten_minutes_is_stopped_after_a_few_seconds(
    student_client, student, provisioned, run
):
    session = provisioned(student)
    run(student_client, session, "kubectl create configmap c --from-literal=a=b")
    status, body = run(student_client, session, "kubectl wait --for=delete configmap/c --timeout=600s")
    assert status == 504
    assert "10초 안에 끝나지 않아" in body


def test_exec_on_kwok_nodes_explains_that_there_are_no_containers(student_client, student, provisioned, run):
    session = provisioned(student)
    run(student_client, session, "kubectl run solo --image=kubaeum/web:1.0")
    status, body = run(student_client, session, "kubectl exec solo -- cat /etc/hostname")
    assert "종료 코드 1" in body and "kwok" in body


def test_a_namespace_sandbox_cannot_impersonate_even_through_auth_can_i(
    student_client, student, provisioned, run
):
    """The console lets `auth can-i --as` through (RBAC labs check their bindings with it);
    the API server must still refuse it to a namespace sandbox, which has no impersonate verb."""
    session = provisioned(student)
    status, body = run(
        student_client, session, "kubectl auth can-i get pods --as=system:serviceaccount:kube-system:default"
    )
    assert ConsoleCommand.objects.get(session=session).exit_code != 0
    assert "impersonate" in body


@pytest.fixture
def dropping_port():
    """A port that accepts connections and closes them at once: what kubectl meets while an
    API server is dying or restarting (EOF, resets), unlike a port nobody listens on."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("endpoint", ["refused", "dropped"])
@pytest.mark.parametrize("command", ["kubectl create configmap x --from-literal=a=b", "kubectl get pods"])
def test_a_cluster_that_refuses_or_drops_connections_is_a_korean_502_naming_no_address(
    student_client, student, provisioned, console, dropping_port, monkeypatch, endpoint, command
):
    # kubectl retries a dropped discovery request for ~40 s, logging the URL it tried after
    # ~10 s; cut it off (as the usual 20 s limit does) once that line is out.
    monkeypatch.setattr(runner, "TIMEOUT_SECONDS", 13)
    session = provisioned(student)
    port = dropping_port if endpoint == "dropped" else free_port()
    session.set_kubeconfig(
        re.sub(r"server: \S+", f"server: https://127.0.0.1:{port}", session.kubeconfig_text)
    )
    session.save()
    response = console.run(student_client, session, command)
    body = response.content.decode()
    assert response.status_code == 502, body
    assert "실습 클러스터에 연결하지 못했습니다" in body
    assert "127.0.0.1" not in body and str(port) not in body
