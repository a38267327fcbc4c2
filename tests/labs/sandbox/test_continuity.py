"""No silent loss: heartbeats move the idle deadline, and "이어서 하기" rebuilds a reaped sandbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.console.policy import changes_objects
from labs.models import AppliedManifest, LabSession, SessionResume
from labs.sandbox import continuity
from tests.labs.definitions import stored_definition
from tests.labs.workspace.conftest import make_ready_session
from tests.labs.workspace.test_editor_cluster import DEPLOYMENT


@pytest.fixture
def lab(db):
    from tests.labs.workspace.conftest import Lab

    return Lab.objects.create(
        slug="resume-lab", title="이어서 하기 실습", scope="namespace", definition=stored_definition()
    )


def test_heartbeat_moves_the_idle_deadline_and_answers_the_deadlines(student_client, student, lab):
    session = make_ready_session(student, lab)
    LabSession.objects.filter(pk=session.pk).update(last_activity_at=timezone.now() - timedelta(minutes=10))
    response = student_client.post(reverse("labs-session-heartbeat", args=[session.pk]))
    assert response.status_code == 200
    data = response.json()
    session.refresh_from_db()
    assert data["state"] == "ready"
    assert timezone.now() - session.last_activity_at < timedelta(seconds=5)
    assert data["idle"] and data["expires"]


def test_heartbeat_of_an_ended_session_says_ended_and_revives_nothing(student_client, student, lab):
    session = make_ready_session(student, lab)
    LabSession.objects.filter(pk=session.pk).update(state="ended", last_activity_at=None)
    data = student_client.post(reverse("labs-session-heartbeat", args=[session.pk])).json()
    assert data["state"] == "ended"
    assert LabSession.objects.get(pk=session.pk).last_activity_at is None


def test_heartbeat_of_another_students_session_is_not_found(student_client, other_student, lab):
    session = make_ready_session(other_student, lab)
    assert student_client.post(reverse("labs-session-heartbeat", args=[session.pk])).status_code == 404


def test_heartbeat_refuses_get(student_client, student, lab):
    session = make_ready_session(student, lab)
    assert student_client.get(reverse("labs-session-heartbeat", args=[session.pk])).status_code == 405


def test_an_ended_session_with_applied_manifests_offers_resume(htmx_client, student, lab):
    session = make_ready_session(student, lab)
    continuity.record_applied(session, DEPLOYMENT)
    LabSession.objects.filter(pk=session.pk).update(state="ended", end_reason="활동이 없어 종료했습니다.")
    body = htmx_client.get(reverse("labs-session-panel", args=[lab.slug]))
    assert "이어서 하기" in body.content.decode()


def test_an_ended_session_without_manifests_offers_only_a_new_start(htmx_client, student, lab):
    session = make_ready_session(student, lab)
    LabSession.objects.filter(pk=session.pk).update(state="ended")
    body = htmx_client.get(reverse("labs-session-panel", args=[lab.slug]))
    assert "이어서 하기" not in body.content.decode()
    response = htmx_client.post(reverse("labs-session-resume", args=[session.pk]))
    assert response.status_code == 409
    assert "이어서 할 작업이 없습니다" in response.content.decode()


def test_resume_of_another_students_session_is_not_found(student_client, other_student, lab):
    session = make_ready_session(other_student, lab)
    continuity.record_applied(session, DEPLOYMENT)
    LabSession.objects.filter(pk=session.pk).update(state="ended")
    assert student_client.post(reverse("labs-session-resume", args=[session.pk])).status_code == 404


def test_only_the_newest_applies_are_kept(student, lab, settings):
    session = make_ready_session(student, lab)
    for i in range(continuity.MAX_KEPT + 3):
        continuity.record_applied(session, f"# {i}\n")
    texts = list(session.applied_manifests.values_list("text", flat=True))
    assert len(texts) == continuity.MAX_KEPT and texts[-1] == f"# {continuity.MAX_KEPT + 2}\n"


@pytest.mark.cluster
def test_a_reaped_session_is_rebuilt_with_what_the_student_applied(
    htmx_client, student_client, student, lab, provision, settings
):
    import uuid

    from kubernetes import client as k8s

    from labs.providers import get_provider
    from labs.sandbox.lifecycle import finish_end, provision_session, request_end
    from labs.sandbox.services import session_api_client

    settings.LAB_NAMESPACE_PREFIX = f"lab-r{uuid.uuid4().hex[:8]}-"
    old = provision(student, lab)
    applied = student_client.post(reverse("labs-apply", args=[old.pk]), {"yaml": DEPLOYMENT})
    assert applied.status_code == 200
    assert AppliedManifest.objects.filter(session=old).count() == 1
    # Validation (dry run) is not recorded.
    student_client.post(reverse("labs-validate", args=[old.pk]), {"yaml": DEPLOYMENT})
    assert AppliedManifest.objects.filter(session=old).count() == 1

    request_end(old, "활동이 없어 실습 환경을 정리했습니다.")  # what the reaper does
    finish_end(old.pk)
    old.refresh_from_db()
    assert old.state == "ended"

    response = htmx_client.post(reverse("labs-session-resume", args=[old.pk]))
    assert response.status_code == 200
    new = LabSession.objects.exclude(pk=old.pk).get(user=student, lab=lab)
    assert SessionResume.objects.get(session=new).source_id == old.pk
    assert provision_session(new.pk) == "ready"  # the worker's part, in-process here
    try:
        body = htmx_client.get(reverse("labs-session-status", args=[new.pk]))
        assert (
            "작업(매니페스트 적용과 콘솔 명령) 1건을 새 실습 환경에 다시 적용했습니다"
            in body.content.decode()
        )
        new.refresh_from_db()
        api = session_api_client(new)
        deployment = k8s.AppsV1Api(api).read_namespaced_deployment("web", new.namespace)
        assert deployment.spec.replicas == 2
        api.close()
        # A redelivered provisioning task replays nothing a second time: the replay is claimed once.
        again = continuity.replay_pending(new, new.kubeconfig_text, new.namespace)
        assert again is not None and (again.state, again.applied) == ("done", 1)
        assert AppliedManifest.objects.filter(session=new).count() == 1
    finally:
        get_provider("namespace").destroy(new)


@pytest.mark.parametrize(
    ("command", "replayed"),
    [
        (["create", "deployment", "web", "--image=kubaeum/web:1.0"], True),
        (["-n", "x", "scale", "deployment/web", "--replicas=3"], True),
        (["rollout", "undo", "deployment/web"], True),
        (["rollout", "status", "deployment/web"], False),
        (["delete", "pod", "web-1"], True),
        (["get", "pods"], False),
        (["create", "configmap", "c", "--from-literal=a=b", "--dry-run=client", "-o", "yaml"], False),
        (["create", "configmap", "c", "--from-literal=a=b", "--dry-run=none"], True),
        (["scale", "--help"], False),
    ],
)
def test_only_console_commands_that_change_the_sandbox_are_replayed(command, replayed):
    assert changes_objects(command) is replayed


def test_a_replayed_command_names_the_new_sandbox_where_the_student_named_the_old_one():
    args = ["-n", "old", "create", "cm", "a", "--namespace=old", "-nold", "-n=old", "--from-literal=old=old"]
    assert continuity.in_sandbox(args, "old", "new") == [
        "-n", "new", "create", "cm", "a", "--namespace=new", "-nnew", "-n=new", "--from-literal=old=old"
    ]  # fmt: skip
    assert continuity.in_sandbox(args, "", "new") == args


@pytest.mark.cluster
def test_console_commands_are_replayed_in_order_with_the_editors_applies(
    student_client, htmx_client, student, lab, provision, console, settings
):
    import uuid

    from kubernetes import client as k8s

    from labs.providers import get_provider
    from labs.sandbox.lifecycle import finish_end, provision_session, request_end
    from labs.sandbox.services import session_api_client

    settings.LAB_NAMESPACE_PREFIX = f"lab-c{uuid.uuid4().hex[:8]}-"
    old = provision(student, lab)

    def run(command, code=0):
        body = console.run(student_client, old, command).content.decode()
        assert f"종료 코드 {code}" in body, body

    run("kubectl create configmap settings --from-literal=mode=dev")
    assert student_client.post(reverse("labs-apply", args=[old.pk]), {"yaml": DEPLOYMENT}).status_code == 200
    run("kubectl scale deployment web --replicas=3")  # only works after the apply above
    run("kubectl label deployment web tier=front")
    run("kubectl delete configmap settings")
    run("kubectl create configmap settings --from-literal=mode=prod")  # after the delete, or it is gone
    run(f"kubectl create configmap named --from-literal=a=b -n {old.namespace}")
    # Not replayed: reads, dry runs, commands that failed.
    run("kubectl get deployments")
    run("kubectl create configmap dry --from-literal=a=b --dry-run=client -o yaml")
    run("kubectl scale deployment nope --replicas=1", code=1)

    request_end(old, "활동이 없어 실습 환경을 정리했습니다.")
    finish_end(old.pk)
    assert htmx_client.post(reverse("labs-session-resume", args=[old.pk])).status_code == 200
    new = LabSession.objects.exclude(pk=old.pk).get(user=student, lab=lab)
    assert provision_session(new.pk) == "ready"  # the worker's part, replay included
    try:
        resume = SessionResume.objects.get(session=new)
        assert (resume.state, resume.applied, resume.message) == ("done", 7, "")
        body = htmx_client.get(reverse("labs-session-status", args=[new.pk])).content.decode()
        assert "작업(매니페스트 적용과 콘솔 명령) 7건을 새 실습 환경에 다시 적용했습니다" in body
        new.refresh_from_db()
        with session_api_client(new) as api:
            web = k8s.AppsV1Api(api).read_namespaced_deployment("web", new.namespace)
            assert web.spec.replicas == 3 and web.metadata.labels["tier"] == "front"
            core = k8s.CoreV1Api(api)
            assert core.read_namespaced_config_map("settings", new.namespace).data == {"mode": "prod"}
            names = {c.metadata.name for c in core.list_namespaced_config_map(new.namespace).items}
            assert "named" in names and "dry" not in names
        # The new session carries the same work, so it can be resumed again.
        assert len(continuity.work_of(new)) == 7
    finally:
        get_provider("namespace").destroy(new)
