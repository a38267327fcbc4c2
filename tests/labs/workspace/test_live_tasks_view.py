"""The live task list: the lab's checks run against the sandbox without recording anything."""

import pytest
from django.urls import reverse

from labs.models import Submission
from tests.labs.definitions import stored_check, stored_definition, stored_step
from tests.labs.workspace.conftest import make_ready_session
from tests.labs.workspace.test_editor_cluster import DEPLOYMENT

CHECKED_DEFINITION = stored_definition(
    hints_after=1,
    steps=[
        stored_step(
            title="Deployment 만들기",
            instructions="web을 만드세요.",
            checks=[
                stored_check("exists", "exists", points=5, title="web이 있다", kind="Deployment", name="web"),
                stored_check(
                    "replicas",
                    "field",
                    points=5,
                    title="레플리카 3",
                    kind="Deployment",
                    name="web",
                    path="spec.replicas",
                    op="equals",
                    value=3,
                    fail="replicas가 3이 아닙니다.",
                ),
                stored_check(
                    "pods", "count", points=5, title="파드 1개 이상", kind="Pod", selector="app=web", min=1
                ),
            ],
        )
    ],
)


def test_another_students_session_is_not_found(student_client, other_session):
    response = student_client.get(reverse("labs-live-tasks", args=[other_session.pk]))
    assert response.status_code == 404


def test_an_ended_session_answers_409_with_a_korean_reason(student_client, ready_session):
    ready_session.state = "ended"
    ready_session.save()
    response = student_client.get(reverse("labs-live-tasks", args=[ready_session.pk]))
    assert response.status_code == 409
    assert "종료" in response.json()["error"]


def test_the_lab_page_lists_each_steps_checks_as_tasks(student_client, lab):
    body = student_client.get(reverse("labs-detail", args=[lab.slug])).content.decode()
    assert 'class="task-list"' in body and 'data-check="exists"' in body
    assert "채점 기록에는 남지 않습니다" in body


@pytest.mark.cluster
def test_checks_flip_as_the_sandbox_changes_and_are_never_recorded(student_client, student, lab, provisioned):
    lab.definition = CHECKED_DEFINITION
    lab.save()
    session = provisioned(student)
    url = reverse("labs-live-tasks", args=[session.pk])

    before = student_client.get(url + "?fresh=1").json()
    assert before["passed"] == 0 and before["total"] == 3
    assert {c["id"]: c["passed"] for c in before["checks"]} == {
        "exists": False,
        "replicas": False,
        "pods": False,
    }

    applied = student_client.post(reverse("labs-apply", args=[session.pk]), {"yaml": DEPLOYMENT})
    assert applied.status_code == 200
    after = student_client.get(url + "?fresh=1").json()
    by_id = {c["id"]: c for c in after["checks"]}
    assert by_id["exists"]["passed"] is True
    assert by_id["exists"]["target"] == {"kind": "Deployment", "name": "web"}
    assert by_id["replicas"]["passed"] is False
    assert "replicas가 3이 아닙니다" in by_id["replicas"]["message"]
    assert "3" in by_id["replicas"]["detail"] and "2" in by_id["replicas"]["detail"]
    # Nothing recorded: no submission, so hint unlocking never counts these rounds.
    assert Submission.objects.filter(user=student).count() == 0


@pytest.mark.cluster
def test_one_round_reads_each_kind_once_and_a_second_call_within_it_reads_nothing(
    student, lab, provisioned, monkeypatch
):
    from labs.grading import services
    from labs.grading.live import check_now

    lab.definition = CHECKED_DEFINITION
    lab.save()
    session = provisioned(student)
    live = check_now(session, fresh=True)
    # Three checks, two kinds (Deployment, Pod): two list requests.
    assert live.reads == 2

    def no_second_read(_session):
        raise AssertionError("a call within the round reached the sandbox again")

    # Within the round the cached report is served: the sandbox's client is never asked for.
    monkeypatch.setattr(services, "_session_client", no_second_read)
    assert check_now(session) == live


@pytest.mark.cluster
def test_the_live_list_runs_behaviour_checks_where_the_provider_runs_real_containers(
    student, lab, provisioned
):
    from labs.grading.live import check_now

    lab.definition = stored_definition(
        steps=[stored_step(checks=[stored_check("http", "http_get", service="web", port=80)])]
    )
    lab.save()
    session = provisioned(student)
    # The namespace sandbox on the simulated cluster runs no containers: the check is skipped.
    assert check_now(session, fresh=True).report.by_id()["http"].skipped
    # A session whose provider runs real containers (kind) is read as 채점하기 reads it: the
    # HTTP request is made (no service answers here), never skipped as on a simulated cluster.
    session.provider = "kind"
    session.save(update_fields=["provider"])
    http = check_now(session, fresh=True).report.by_id()["http"]
    assert not http.skipped and not http.passed


def test_a_session_row_without_a_cluster_behind_it_is_reported_unavailable(student_client, student, lab):
    lab.definition = CHECKED_DEFINITION
    lab.save()
    session = make_ready_session(student, lab)
    response = student_client.get(reverse("labs-live-tasks", args=[session.pk]) + "?fresh=1")
    # The dummy kubeconfig points at a closed port: the round fails, in Korean, as 409.
    assert response.status_code == 409
    assert "쿠버네티스 API" in response.json()["error"]
