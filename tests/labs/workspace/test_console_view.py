"""The console view: refused commands never reach kubectl; allowed ones run with only the session's kubeconfig."""

import pytest
from django.urls import reverse

from labs.console import runner
from labs.models import ConsoleCommand, LabSession
from tests.labs.workspace.conftest import DUMMY_KUBECONFIG
from tests.labs.workspace.test_console_policy import HOSTILE


def post(client, session, command):
    return client.post(
        reverse("labs-console", args=[session.pk]), {"command": command}, HTTP_HX_REQUEST="true"
    )


def test_every_hostile_command_is_refused_by_the_view_and_never_executed(
    student_client, ready_session, kubectl_shim
):
    before = runner.invocations
    for command in HOSTILE:
        response = post(student_client, ready_session, command)
        assert response.status_code == 400, command
        assert "실행하지 않았습니다" in response.content.decode()
    assert kubectl_shim.calls() == []
    assert runner.invocations == before
    assert ConsoleCommand.objects.count() == 0


def test_an_allowed_command_runs_kubectl_with_only_the_session_kubeconfig(
    student_client, ready_session, kubectl_shim
):
    response = post(student_client, ready_session, "kubectl get pods -o wide")
    assert response.status_code == 200
    body = response.content.decode()
    assert "NAME   READY" in body and "종료 코드 0" in body
    [call] = kubectl_shim.calls()
    args, _, rest = call.partition("ENV\n")
    assert args.split("\n")[:4] == ["get", "pods", "-o", "wide"]
    env_text, _, config = rest.partition("CONFIG\n")
    names = {line.split("=", 1)[0] for line in env_text.strip().split("\n")}
    assert names <= {"PATH", "HOME", "KUBECONFIG", "KUBECACHEDIR", "LANG", "PWD", "SHLVL", "_"}
    assert config.strip() == DUMMY_KUBECONFIG.strip()
    logged = ConsoleCommand.objects.get()
    assert (logged.session, logged.command, logged.exit_code) == (
        ready_session,
        "kubectl get pods -o wide",
        0,
    )


def test_a_command_counts_as_activity(student_client, ready_session, kubectl_shim):
    LabSession.objects.filter(pk=ready_session.pk).update(last_activity_at=ready_session.created_at)
    post(student_client, ready_session, "get pods")
    ready_session.refresh_from_db()
    assert ready_session.last_activity_at > ready_session.created_at


def test_a_refused_command_does_not_count_as_activity(student_client, ready_session, kubectl_shim):
    stamp = ready_session.last_activity_at
    post(student_client, ready_session, "kubectl config view")
    ready_session.refresh_from_db()
    assert ready_session.last_activity_at == stamp


def test_an_ended_session_runs_nothing(student_client, ready_session, kubectl_shim):
    LabSession.objects.filter(pk=ready_session.pk).update(state=LabSession.State.ENDED)
    response = post(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 409
    assert "끝났" in response.content.decode()
    assert kubectl_shim.calls() == []


def test_long_output_is_cut_at_64_kb_with_a_korean_note(kubectl_shim, tmp_path):
    (tmp_path / "config").write_text("")
    result = runner.run_kubectl(["big"], tmp_path / "config")
    assert result.truncated
    assert result.output.index("\n…") == runner.MAX_OUTPUT
    assert "64KB" in result.output


def test_a_command_that_runs_too_long_is_stopped(kubectl_shim, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "TIMEOUT_SECONDS", 1)
    result = runner.run_kubectl(["slow"], tmp_path / "config")
    assert result.timed_out and result.exit_code == runner.TIMEOUT_EXIT
    assert "중단" in result.output


def test_anonymous_user_is_sent_to_login(client, ready_session):
    response = client.post(reverse("labs-console", args=[ready_session.pk]), {"command": "kubectl get pods"})
    assert response.status_code == 302


@pytest.mark.parametrize("method", ["get"])
def test_console_only_accepts_post(student_client, ready_session, method):
    response = getattr(student_client, method)(reverse("labs-console", args=[ready_session.pk]))
    assert response.status_code == 405


def test_history_lists_the_sessions_own_commands_oldest_first(student_client, ready_session, kubectl_shim):
    for command in ("kubectl get pods", "kubectl get deploy", "kubectl config view"):
        post(student_client, ready_session, command)
    data = student_client.get(reverse("labs-console-history", args=[ready_session.pk])).json()
    assert data == {"commands": ["kubectl get pods", "kubectl get deploy"]}


def test_a_second_command_while_one_runs_is_refused(student_client, ready_session, kubectl_shim):
    from django.core.cache import cache

    cache.add(f"kubaeum:console-busy:{ready_session.pk}", 1, timeout=30)
    try:
        response = post(student_client, ready_session, "kubectl get pods")
    finally:
        cache.delete(f"kubaeum:console-busy:{ready_session.pk}")
    assert response.status_code == 429
    assert "아직 실행 중" in response.content.decode()
    assert kubectl_shim.calls() == []
    assert post(student_client, ready_session, "kubectl get pods").status_code == 200


def test_a_missing_kubectl_is_a_korean_503_not_a_500(student_client, ready_session, settings, tmp_path):
    settings.KUBECTL_PATH = str(tmp_path / "no-such-kubectl")
    response = post(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 503
    assert "콘솔을 쓸 수 없습니다" in response.content.decode()


def test_a_failed_logs_command_explains_kwok_nodes_on_the_shared_cluster(
    student_client, ready_session, kubectl_shim
):
    body = post(student_client, ready_session, "kubectl logs web-0").content.decode()
    assert "종료 코드 1" in body and "kwok" in body


def test_a_failed_logs_command_on_a_cluster_with_real_containers_has_no_kwok_note(
    student_client, ready_session, kubectl_shim
):
    LabSession.objects.filter(pk=ready_session.pk).update(provider="kind")
    ready_session.refresh_from_db()
    body = post(student_client, ready_session, "kubectl logs web-0").content.decode()
    assert "종료 코드 1" in body and "container not found" in body
    assert "kwok" not in body
