"""채점하기 views: file labs end to end, polling, hints, solution reveal, bad input, privacy."""

import re

import pytest
from django.urls import reverse

from labs.grading.results import CheckResult
from labs.grading.services import grade_submission
from labs.models import LabSession, SolutionReveal, Submission
from tests.labs.grading.yaml_bombs import billion_laughs

BAD_DOCKERFILE = "FROM python:latest\nCOPY server.py /app/server.py\nCMD python /app/server.py\n"


def post_dockerfile(client, lab, text):
    return client.post(reverse("labs-grade-files", args=[lab.slug]), {"Dockerfile": text})


def test_grading_a_file_lab_queues_then_shows_per_check_results(student_client, file_lab):
    response = post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
    assert response.status_code == 202
    body = response.content.decode()
    assert "채점하는 중" in body and 'hx-trigger="every 500ms"' in body
    submission = Submission.objects.get()
    assert submission.state == "queued" and submission.files["Dockerfile"] == BAD_DOCKERFILE

    grade_submission(submission.pk)  # what the Celery worker does
    body = student_client.get(reverse("labs-submission", args=[submission.pk])).content.decode()
    assert "every 500ms" not in body
    assert "10/100점" in body
    assert "1번째 줄 FROM: 기대한 값 latest가 아닌 태그나 다이제스트, 실제 값 python:latest" in body
    assert "통과" in body and "실패" in body


def test_polling_a_running_grading_reads_only_the_submission(
    student_client, file_lab, django_assert_max_num_queries
):
    post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
    url = reverse("labs-submission", args=[Submission.objects.get().pk])
    with django_assert_max_num_queries(3):  # session + user, then the submission with its lab
        body = student_client.get(url).content.decode()
    assert "채점하는 중" in body and 'hx-trigger="every 500ms"' in body


def test_full_marks_for_the_reference_solution(student_client, file_lab):
    post_dockerfile(student_client, file_lab, file_lab.spec.solution.files["Dockerfile"])
    submission = grade_submission(Submission.objects.get().pk)
    assert submission.score == submission.max_score == 100
    body = student_client.get(reverse("labs-submission", args=[submission.pk])).content.decode()
    assert "모든 검사를 통과했습니다" in body


def test_hints_appear_only_after_enough_failed_attempts(student_client, file_lab):
    hint = "USER 명령은 파일을 복사하고"
    for attempt in range(2):
        post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
        submission = grade_submission(Submission.objects.latest("id").pk)
        body = student_client.get(reverse("labs-submission", args=[submission.pk])).content.decode()
        if attempt == 0:
            assert hint not in body and "2번 이상 채점에서 만점을 받지 못하면" in body
    assert hint in body
    assert "고쳐야 할 곳은 FROM 태그" in body  # the lab-level hint


def test_solution_can_be_revealed_only_after_an_attempt_and_is_recorded(student_client, student, file_lab):
    url = reverse("labs-solution", args=[file_lab.slug])
    refused = student_client.post(url)
    assert refused.status_code == 409
    assert "한 번 이상 채점을 받은 뒤에" in refused.content.decode()
    post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
    grade_submission(Submission.objects.get().pk)
    shown = student_client.post(url)
    assert shown.status_code == 200
    assert "USER app" in shown.content.decode()
    reveal = SolutionReveal.objects.get(user=student, lab=file_lab)
    assert reveal.best_score_before == 10


def test_history_lists_only_the_students_own_gradings(student_client, other_student, file_lab):
    Submission.objects.create(user=other_student, lab=file_lab, state="done", score=77, max_score=100)
    post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
    grade_submission(Submission.objects.filter(user__username="student").get().pk)
    body = student_client.get(reverse("labs-submission-history", args=[file_lab.slug])).content.decode()
    assert "채점 1회" in body and "10/100" in body and "77/100" not in body


def test_history_numbers_rows_by_attempt_even_when_only_the_latest_fifty_are_shown(
    student_client, student, file_lab
):
    Submission.objects.bulk_create(
        Submission(user=student, lab=file_lab, state="done", score=n, max_score=100) for n in range(52)
    )
    response = student_client.get(reverse("labs-submission-history", args=[file_lab.slug]))
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>", response.content.decode())
    assert rows[0] == "52" and rows[-1] == "3" and len(rows) == 50


def test_the_history_of_an_unpublished_lab_is_not_found_like_its_other_pages(student_client, file_lab):
    file_lab.is_published = False
    file_lab.save()
    response = student_client.get(reverse("labs-submission-history", args=[file_lab.slug]))
    assert response.status_code == 404


def test_a_student_cannot_read_another_students_submission(client, student, other_student, file_lab):
    mine = Submission.objects.create(user=student, lab=file_lab, files={"Dockerfile": "SECRET"})
    client.force_login(other_student)
    response = client.get(reverse("labs-submission", args=[mine.pk]))
    assert response.status_code == 404
    assert "SECRET" not in response.content.decode()


def test_a_student_cannot_grade_or_open_the_grading_panel_of_another_students_session(
    client, student, other_student, labs
):
    session = LabSession.objects.create(user=student, lab=labs["first-pod"], state="ready")
    client.force_login(other_student)
    assert client.post(reverse("labs-grade", args=[session.pk])).status_code == 404
    assert client.get(reverse("labs-grading-panel", args=[session.pk])).status_code == 404
    assert not Submission.objects.exists()


def test_grading_a_session_that_is_not_ready_is_refused_in_korean(student_client, student, labs):
    session = LabSession.objects.create(user=student, lab=labs["first-pod"], state="provisioning")
    response = student_client.post(reverse("labs-grade", args=[session.pk]))
    assert response.status_code == 409
    assert "실습 환경이 준비되지 않았거나" in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"Dockerfile": "FROM a:1\x00\x01binary"}, 400, "바이너리"),
        ({"Dockerfile": "RUN rm -rf /\n"}, 400, "첫 명령은 FROM"),
        ({"Dockerfile": "x" * 210_000}, 400, "파일이 너무 큽니다"),
    ],
)
def test_bad_dockerfile_submissions_get_a_korean_4xx_and_no_row(
    student_client, file_lab, payload, status, message
):
    response = student_client.post(reverse("labs-grade-files", args=[file_lab.slug]), payload)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_five_megabyte_upload_is_refused_before_it_is_read(student_client, compose_lab):
    response = student_client.post(
        reverse("labs-grade-files", args=[compose_lab.slug]), {"compose.yaml": "a: " + "x" * 5_000_000}
    )
    assert response.status_code == 413
    assert "너무 큽니다" in response.content.decode()


def test_a_billion_laughs_compose_file_is_refused_fast(student_client, compose_lab):
    bomb = billion_laughs()
    response = student_client.post(
        reverse("labs-grade-files", args=[compose_lab.slug]), {"compose.yaml": bomb}
    )
    assert response.status_code == 400
    assert "compose.yaml: 문서 1" in response.content.decode() and "별칭" in response.content.decode()


# ~198 KB of one-character values: under the file size limit, ~1.7 s of CPU per parse for
# the pure-Python loader (and the worker parses it again to grade).
TINY_VALUES = "a: [" + ",".join(["0"] * 99_000) + "]\n"


@pytest.mark.parametrize(
    ("slug", "name", "text"),
    [
        ("compose-two-services", "compose.yaml", TINY_VALUES),
        (
            "hpa-autoscaling",
            "web.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" + TINY_VALUES,
        ),
    ],
)
def test_a_yaml_file_of_countless_tiny_values_is_refused_by_the_editors_node_budget(
    student_client, labs, slug, name, text
):
    response = student_client.post(reverse("labs-grade-files", args=[slug]), {name: text})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{name}:" in body and "값이 5,000개를 넘습니다" in body
    assert not Submission.objects.exists()


def test_a_hostile_256_kilobyte_yaml_file_is_refused_for_its_size(student_client, compose_lab):
    text = "a: [" + ",".join(["0"] * 132_000) + "]\n"
    assert len(text) > 256 * 1024
    response = student_client.post(
        reverse("labs-grade-files", args=[compose_lab.slug]), {"compose.yaml": text}
    )
    assert response.status_code == 400
    assert "compose.yaml: 파일이 너무 큽니다" in response.content.decode()


DOUBLING_ARGS = "FROM a:1\nARG A0=xxxxxxxx\n" + "".join(
    f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 60)
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DOUBLING_ARGS, "14번째 줄 ARG: 변수를 펼친 값이 너무 깁니다"),  # 2**59 bytes if expanded
        ("FROM a:1\nARG A=" + "x" * 1000 + "\nRUN echo " + "$A" * 60_000 + "\n", "3번째 줄 RUN: 변수를 펼친"),
        ("FROM a:1\n" + "WORKDIR a\n" * 19_000, "501번째 줄: 명령이 너무 많습니다 (최대 500개)"),
        (
            "FROM a:1\n" + "".join(f"WORKDIR /{i}/" + "b/" * 190 + "\n" for i in range(400)),
            "경로가 너무 길거나",
        ),
        ("".join(f"FROM a:1 AS s{i}\n" for i in range(60)), "51번째 줄: 빌드 단계(FROM)가 너무 많습니다"),
    ],
)
def test_a_dockerfile_that_would_cost_unbounded_grading_work_is_refused_in_korean(
    student_client, file_lab, text, message
):
    response = post_dockerfile(student_client, file_lab, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_cluster_lab_cannot_be_graded_from_files(student_client, labs):
    response = student_client.post(reverse("labs-grade-files", args=[labs["first-pod"].slug]), {"x": "y"})
    assert response.status_code == 400
    assert "클러스터" in response.content.decode()


def test_grading_needs_a_login(client, file_lab):
    response = post_dockerfile(client, file_lab, BAD_DOCKERFILE)
    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_the_session_grading_panel_shows_the_button_and_refreshes_its_summary(student_client, student, labs):
    lab = labs["first-pod"]
    session = LabSession.objects.create(user=student, lab=lab, state="ready")
    body = student_client.get(reverse("labs-grading-panel", args=[session.pk])).content.decode()
    assert "채점하기" in body and "아직 채점하지 않았습니다" in body
    assert reverse("labs-grade", args=[session.pk]) in body
    results = [
        CheckResult(
            id="pod-exists",
            title="파드 hello가 있다",
            passed=False,
            points=20,
            earned=0,
            message="x",
            message_html="파드 <code>hello</code>가 없습니다",
            detail="파드 'hello': 기대한 값 있음, 실제 값 없음",
            expected="있음",
            found="없음",
            hint="h",
            hint_html="<code>kubectl get pods</code>",
        ).to_stored(),
    ]
    done = Submission.objects.create(
        user=student, lab=lab, session=session, state="done", score=0, max_score=100, results=results
    )
    polled = student_client.get(reverse("labs-submission", args=[done.pk])).content.decode()
    assert f'id="grading-summary-{session.pk}" hx-swap-oob="true"' in polled
    assert "채점 1회 · 최고 0/100점" in polled
    assert "파드 <code>hello</code>가 없습니다" in polled
    panel = student_client.get(reverse("labs-grading-panel", args=[session.pk])).content.decode()
    assert "hx-swap-oob" not in panel and "채점 1회" in panel


def test_a_second_file_grading_waits_for_the_first(student_client, file_lab):
    assert post_dockerfile(student_client, file_lab, BAD_DOCKERFILE).status_code == 202
    again = post_dockerfile(student_client, file_lab, BAD_DOCKERFILE)
    assert again.status_code == 409
    assert "이전 채점이 아직 진행 중입니다" in again.content.decode()
    assert Submission.objects.count() == 1
