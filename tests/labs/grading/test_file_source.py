"""Labs without a cluster: Dockerfile, compose and manifest files graded from their text."""

import pytest

from kubaeum.safe_yaml import SafeYamlError
from labs.grading.dockerfile import DockerfileError, parse_dockerfile
from labs.grading.engine import grade, run_check
from labs.grading.sources import FileSource
from labs.spec import FileSpec
from tests.labs.definitions import stored_check, stored_step, typed_check, typed_spec
from tests.labs.grading.yaml_bombs import billion_laughs

DOCKER = [FileSpec("Dockerfile", "dockerfile", "")]
COMPOSE = [FileSpec("compose.yaml", "compose", "")]
MANIFESTS = [FileSpec("app.yaml", "manifests", "")]

GOOD_DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/server \\
    ./cmd/server

FROM gcr.io/distroless/static@sha256:0123456789abcdef
COPY --from=build /out/server /server
USER 65532:65532
EXPOSE 8080/tcp
ENTRYPOINT ["/server"]
"""
BAD_DOCKERFILE = "FROM ubuntu\nRUN apt-get update\nUSER root\nCMD ./server --port 8080\n"


def docker(text, **spec):
    spec.setdefault("id", "x")
    return run_check(typed_check(**spec), FileSource({"Dockerfile": text}, DOCKER))


@pytest.mark.parametrize(
    ("spec", "bad_detail"),
    [
        (
            {"type": "dockerfile_base_pinned"},
            "1번째 줄 FROM: 기대한 값 latest가 아닌 태그나 다이제스트, 실제 값 ubuntu (태그 없음",
        ),
        ({"type": "dockerfile_user"}, "3번째 줄 USER: 기대한 값 root가 아닌 사용자, 실제 값 root"),
        ({"type": "dockerfile_expose", "port": 8080}, "EXPOSE: 기대한 값 8080, 실제 값 EXPOSE 없음"),
        (
            {"type": "dockerfile_exec_form"},
            "4번째 줄 CMD: 기대한 값 exec 형식 (JSON 배열), 실제 값 ./server --port 8080",
        ),
        (
            {"type": "dockerfile_instruction", "instruction": "copy", "regex": "server"},
            "COPY /server/: 기대한 값 있음, 실제 값 없음",
        ),
        (
            {"type": "dockerfile_instruction", "instruction": "RUN", "regex": "apt-get", "absent": True},
            "실제 값 2번째 줄: apt-get update",
        ),
    ],
)
def test_dockerfile_checks_pass_on_a_good_file_and_explain_a_bad_one(spec, bad_detail):
    if not spec.get("absent"):
        assert docker(GOOD_DOCKERFILE, **spec).passed
    bad = docker(BAD_DOCKERFILE, **spec)
    assert not bad.passed
    assert bad_detail in bad.detail, bad.detail


def test_a_tab_after_the_instruction_keyword_is_read_like_a_space():
    df = parse_dockerfile("FROM\tpython:3.13\nUSER\tapp\n")
    assert df.final.base == "python:3.13"
    assert df.final.last("USER").args == "app"


def test_dockerfile_parser_joins_continuations_and_tracks_stages():
    df = parse_dockerfile(GOOD_DOCKERFILE)
    assert [s.base for s in df.stages] == ["golang:1.24", "gcr.io/distroless/static@sha256:0123456789abcdef"]
    assert df.stages[0].last("RUN").args == "go build -o /out/server      ./cmd/server"
    assert df.final.last("ENTRYPOINT").exec_form == ["/server"]


def test_latest_tag_and_shell_form_with_single_quotes_fail():
    text = "FROM python:latest\nCMD ['python', 'app.py']\n"
    assert "태그 'latest'" in docker(text, type="dockerfile_base_pinned").found
    assert not docker(text, type="dockerfile_exec_form").passed


def test_an_empty_dockerfile_fails_every_check_without_crashing():
    outcome = docker("", type="dockerfile_user")
    assert not outcome.passed and outcome.found == "비어 있음"


def test_a_dockerfile_not_starting_with_from_and_binary_files_are_refused():
    with pytest.raises(DockerfileError, match="1번째 줄: 첫 명령은 FROM"):
        parse_dockerfile("RUN echo hi\nFROM alpine:3.20\n")
    with pytest.raises(DockerfileError, match="바이너리"):
        parse_dockerfile("FROM a:1\x00")


GOOD_COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    depends_on:
      api:
        condition: service_started
    environment:
      - API_URL=http://api:5678
  api:
    build: ./api
    ports:
      - target: 5678
        published: 5678
"""


def compose(text, **spec):
    spec.setdefault("id", "x")
    return run_check(typed_check(**spec), FileSource({"compose.yaml": text}, COMPOSE))


@pytest.mark.parametrize(
    ("spec", "bad_detail"),
    [
        (
            {"type": "compose_service", "service": "api", "build": True},
            "services: 기대한 값 서비스 'api', 실제 값 web",
        ),
        (
            {"type": "compose_service", "service": "web", "image": "docker.io/library/nginx:1.27"},
            "서비스 'web'의 이미지: 기대한 값 docker.io/library/nginx:1.27, 실제 값 nginx",
        ),
        (
            {"type": "compose_ports", "service": "web", "target": 80, "published": 8080},
            "기대한 값 8080:80, 실제 값 80",
        ),
        ({"type": "compose_ports", "service": "api", "target": 5678}, "services: 기대한 값 서비스 'api'"),
        ({"type": "compose_depends_on", "service": "web", "on": "api"}, "기대한 값 api, 실제 값 없음"),
        (
            {"type": "compose_environment", "service": "web", "key": "API_URL", "value": "http://api:5678"},
            "실제 값 http://localhost:5678",
        ),
    ],
)
def test_compose_checks_read_both_short_and_long_syntax(spec, bad_detail):
    assert compose(GOOD_COMPOSE, **spec).passed
    bad = compose(
        "services:\n  web:\n    image: nginx\n    ports: ['80']\n    environment: {API_URL: 'http://localhost:5678'}\n",
        **spec,
    )
    assert not bad.passed
    assert bad_detail in bad.detail, bad.detail


def test_a_compose_file_that_is_a_billion_laughs_is_refused():
    bomb = billion_laughs()
    with pytest.raises(SafeYamlError, match="별칭"):
        FileSource({"compose.yaml": bomb}, COMPOSE)


def test_submitted_manifests_are_graded_with_the_same_object_checks():
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: web, image: 'nginx:1.27', resources: {limits: {cpu: 1}}}]\n"
    spec = typed_spec(
        steps=[
            stored_step(
                checks=[
                    stored_check("a", "exists", points=10, kind="Deployment", name="web"),
                    stored_check(
                        "b", "field", points=10, kind="Deployment", name="web", path="spec.replicas", value=3
                    ),
                    stored_check("c", "resources", points=10, name="web", limits=["cpu", "memory"]),
                ]
            )
        ]
    )
    report = grade(spec, FileSource({"app.yaml": text}, MANIFESTS))
    assert report.score == 10 and report.max_score == 30
    by_id = report.by_id()
    assert by_id["b"].detail == "레플리카 수: 기대한 값 3, 실제 값 2"
    assert by_id["c"].detail == "컨테이너 'web'의 resources.limits.memory: 기대한 값 설정됨, 실제 값 없음"


def test_a_submitted_quantity_that_is_not_a_quantity_fails_the_check_with_what_was_found():
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
        "      containers: [{name: web, image: 'nginx:1.27', resources: {limits: {cpu: lots}}}]\n"
    )
    check = typed_check("c", "resources", name="web", max={"limits.cpu": "500m"})
    outcome = run_check(check, FileSource({"app.yaml": text}, MANIFESTS))
    assert not outcome.passed
    assert outcome.detail == "컨테이너 'web'의 resources.limits.cpu: 기대한 값 ≤ 500m, 실제 값 lots"
