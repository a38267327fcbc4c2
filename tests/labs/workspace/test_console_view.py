"""The console views: refused commands are never queued; accepted ones are queued at once (202),
run by the console worker with only the session's kubeconfig, and polled until they end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.console import runner, slots
from labs.console.services import QUEUE_SECONDS, execute
from labs.models import ConsoleCommand, Lab, LabSession
from tests.labs.workspace.conftest import DUMMY_KUBECONFIG, make_ready_session
from tests.labs.workspace.test_console_policy import HOSTILE


def test_every_hostile_command_is_refused_by_the_view_and_never_executed(
    student_client, ready_session, kubectl_shim, console
):
    before = runner.invocations
    for command in HOSTILE:
        response = console.post(student_client, ready_session, command)
        assert response.status_code == 400, command
        assert "실행하지 않았습니다" in response.content.decode()
    assert kubectl_shim.calls() == []
    assert runner.invocations == before
    assert ConsoleCommand.objects.count() == 0


def test_an_accepted_command_is_queued_and_the_answer_polls_for_its_output(
    student_client, ready_session, kubectl_shim, console
):
    response = console.post(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 202
    queued = ConsoleCommand.objects.get()
    assert (queued.state, queued.args) == ("queued", ["get", "pods"])
    body = response.content.decode()
    poll_url = reverse("labs-console-result", args=[ready_session.pk, queued.pk])
    assert f'hx-get="{poll_url}"' in body and "every" in body
    assert kubectl_shim.calls() == []  # the web request ran nothing
    still = console.poll(student_client, ready_session, queued.pk)
    assert still.status_code == 202 and "hx-get" in still.content.decode()


def test_an_allowed_command_runs_kubectl_with_only_the_session_kubeconfig(
    student_client, ready_session, kubectl_shim, console
):
    response = console.run(student_client, ready_session, "kubectl get pods -o wide")
    assert response.status_code == 200
    body = response.content.decode()
    assert "NAME   READY" in body and "종료 코드 0" in body and "hx-get" not in body
    [call] = kubectl_shim.calls()
    args, _, rest = call.partition("ENV\n")
    assert args.split("\n")[:4] == ["get", "pods", "-o", "wide"]
    env_text, _, config = rest.partition("CONFIG\n")
    names = {line.split("=", 1)[0] for line in env_text.strip().split("\n")}
    assert names <= {"PATH", "HOME", "KUBECONFIG", "KUBECACHEDIR", "LANG", "PWD", "SHLVL", "_"}
    assert config.strip() == DUMMY_KUBECONFIG.strip()
    logged = ConsoleCommand.objects.get()
    assert (logged.session, logged.command, logged.exit_code, logged.state) == (
        ready_session,
        "kubectl get pods -o wide",
        0,
        "done",
    )


def test_a_command_counts_as_activity(student_client, ready_session, kubectl_shim, console):
    LabSession.objects.filter(pk=ready_session.pk).update(last_activity_at=ready_session.created_at)
    console.post(student_client, ready_session, "get pods")
    ready_session.refresh_from_db()
    assert ready_session.last_activity_at > ready_session.created_at


def test_a_refused_command_does_not_count_as_activity(student_client, ready_session, kubectl_shim, console):
    stamp = ready_session.last_activity_at
    console.post(student_client, ready_session, "kubectl config view")
    ready_session.refresh_from_db()
    assert ready_session.last_activity_at == stamp


def test_an_ended_session_runs_nothing(student_client, ready_session, kubectl_shim, console):
    LabSession.objects.filter(pk=ready_session.pk).update(state=LabSession.State.ENDED)
    response = console.post(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 409
    assert "끝났" in response.content.decode()
    assert kubectl_shim.calls() == [] and ConsoleCommand.objects.count() == 0


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
    assert "1초 안에 끝나지 않아" in result.output


def test_a_command_that_waits_is_stopped_at_its_shorter_limit(kubectl_shim, tmp_path):
    result = runner.run_kubectl(["slow"], tmp_path / "config", seconds=1)
    assert result.timed_out and "1초 안에 끝나지 않아" in result.output


def test_a_timed_out_command_ends_with_a_504(
    student_client, ready_session, kubectl_shim, console, monkeypatch
):
    monkeypatch.setattr(runner, "TIMEOUT_SECONDS", 1)
    kubectl_shim.path.write_text("#!/bin/sh\n/bin/sleep 5\n")
    response = console.run(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 504
    assert "1초 안에 끝나지 않아" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, ready_session):
    response = client.post(reverse("labs-console", args=[ready_session.pk]), {"command": "kubectl get pods"})
    assert response.status_code == 302


@pytest.mark.parametrize("method", ["get"])
def test_console_only_accepts_post(student_client, ready_session, method):
    response = getattr(student_client, method)(reverse("labs-console", args=[ready_session.pk]))
    assert response.status_code == 405


def test_history_lists_the_sessions_own_commands_oldest_first(
    student_client, ready_session, kubectl_shim, console
):
    for command in ("kubectl get pods", "kubectl get deploy", "kubectl config view"):
        console.run(student_client, ready_session, command)
    data = student_client.get(reverse("labs-console-history", args=[ready_session.pk])).json()
    assert data == {"commands": ["kubectl get pods", "kubectl get deploy"]}


def test_a_second_command_while_one_runs_is_refused(student_client, ready_session, kubectl_shim, console):
    assert console.post(student_client, ready_session, "kubectl get pods").status_code == 202
    response = console.post(student_client, ready_session, "kubectl get deploy")
    assert response.status_code == 429
    assert "아직 실행 중" in response.content.decode()
    assert ConsoleCommand.objects.count() == 1
    execute(ConsoleCommand.objects.get().pk)
    assert console.post(student_client, ready_session, "kubectl get deploy").status_code == 202


def test_a_student_runs_at_most_the_cap_across_their_sessions(
    student_client, student, lab, kubectl_shim, console, settings
):
    settings.LAB_CONSOLE_PER_STUDENT = 2
    labs = [lab] + [
        Lab.objects.create(slug=f"other-{i}", title="다른 실습", scope=lab.scope) for i in range(2)
    ]
    sessions = [make_ready_session(student, each, namespace=f"lab-test-{i}") for i, each in enumerate(labs)]
    assert console.post(student_client, sessions[0], "kubectl get pods").status_code == 202
    assert console.post(student_client, sessions[1], "kubectl get pods").status_code == 202
    response = console.post(student_client, sessions[2], "kubectl get pods")
    assert response.status_code == 429
    assert "동시에 2개까지" in response.content.decode()


def test_the_slots_are_shared_through_redis_not_this_process(ready_session, console, settings):
    """Another process (here: a fresh Redis client, as another gunicorn process would have)
    sees the session as busy."""
    import redis

    assert slots.acquire(ready_session.pk, ready_session.user_id, "1", 60, 0) == slots.TAKEN
    other = redis.Redis.from_url(settings.REDIS_URL)
    assert other.get(f"kubaeum:console:session:{ready_session.pk}") == b"1"
    assert slots.acquire(ready_session.pk, ready_session.user_id, "2", 60, 0) == slots.SESSION_BUSY
    slots.release(ready_session.pk, ready_session.user_id, "1")
    assert slots.acquire(ready_session.pk, ready_session.user_id, "2", 60, 0) == slots.TAKEN


def test_a_command_no_worker_takes_is_given_up_with_a_korean_503(
    student_client, ready_session, kubectl_shim, console
):
    console.post(student_client, ready_session, "kubectl get pods")
    queued = ConsoleCommand.objects.get()
    ConsoleCommand.objects.filter(pk=queued.pk).update(
        created_at=timezone.now() - timedelta(seconds=QUEUE_SECONDS + 1)
    )
    response = console.poll(student_client, ready_session, queued.pk)
    assert response.status_code == 503
    assert "처리하지 못했습니다" in response.content.decode() and "hx-get" not in response.content.decode()
    # The slot is free again.
    assert console.post(student_client, ready_session, "kubectl get pods").status_code == 202


def test_another_students_command_is_a_404(
    client, student, other_student, ready_session, kubectl_shim, console
):
    client.force_login(student)
    console.post(client, ready_session, "kubectl get pods")
    mine = ConsoleCommand.objects.get()
    client.force_login(other_student)
    assert console.poll(client, ready_session, mine.pk).status_code == 404


def test_a_missing_kubectl_is_a_korean_503_not_a_500(
    student_client, ready_session, settings, tmp_path, console
):
    settings.KUBECTL_PATH = str(tmp_path / "no-such-kubectl")
    response = console.run(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 503
    assert "콘솔을 쓸 수 없습니다" in response.content.decode()


def test_an_unreachable_cluster_is_a_korean_502_without_its_address(
    student_client, ready_session, kubectl_shim, console
):
    kubectl_shim.path.write_text(
        "#!/bin/sh\necho 'The connection to the server 10.1.2.3:6443 was refused - did you specify the right host or port?'\nexit 1\n"
    )
    response = console.run(student_client, ready_session, "kubectl get pods")
    assert response.status_code == 502
    body = response.content.decode()
    assert "실습 클러스터에 연결하지 못했습니다" in body
    assert "10.1.2.3" not in body and "6443" not in body


def test_a_failed_logs_command_explains_kwok_nodes_on_the_shared_cluster(
    student_client, ready_session, kubectl_shim, console
):
    body = console.run(student_client, ready_session, "kubectl logs web-0").content.decode()
    assert "종료 코드 1" in body and "kwok" in body


def test_a_failed_logs_command_on_a_cluster_with_real_containers_has_no_kwok_note(
    student_client, ready_session, kubectl_shim, console
):
    LabSession.objects.filter(pk=ready_session.pk).update(provider="kind")
    ready_session.refresh_from_db()
    body = console.run(student_client, ready_session, "kubectl logs web-0").content.decode()
    assert "종료 코드 1" in body and "container not found" in body
    assert "kwok" not in body


@pytest.mark.django_db(transaction=True)
def test_a_command_the_broker_cannot_take_ends_with_a_korean_503_at_once(
    client, student, lab, kubectl_shim, console, settings
):
    from tests.conftest import point_celery_at
    from tests.servers import free_port

    session = make_ready_session(student, lab)
    client.force_login(student)
    settings.CELERY_BROKER_URL = dead = f"redis://127.0.0.1:{free_port()}/0"
    point_celery_at(dead)
    try:
        response = console.post(client, session, "kubectl get pods")
        assert response.status_code == 202  # accepted; the send happens after the commit
        command = ConsoleCommand.objects.get()
        polled = console.poll(client, session, command.pk)
    finally:
        point_celery_at(settings.REDIS_URL)
    assert polled.status_code == 503
    assert "콘솔을 쓸 수 없습니다" in polled.content.decode()
    assert kubectl_shim.calls() == []
    # Its slot was freed: the next command is accepted.
    assert console.post(client, session, "kubectl get pods").status_code == 202
