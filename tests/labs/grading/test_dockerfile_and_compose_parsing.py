"""Dockerfiles and compose files are parsed the way their tools read them."""

import pytest

from labs.grading.dockerfile import copied_to, created_users, parse_dockerfile, workdir_at
from labs.grading.engine import run_check
from labs.grading.sources import FileSource
from labs.spec import FileSpec
from tests.labs.definitions import typed_check

DOCKER = [FileSpec("Dockerfile", "dockerfile", "")]
COMPOSE = [FileSpec("compose.yaml", "compose", "")]


def docker(text, **spec):
    spec.setdefault("id", "x")
    return run_check(typed_check(**spec), FileSource({"Dockerfile": text}, DOCKER))


def compose(text, **spec):
    spec.setdefault("id", "x")
    return run_check(typed_check(**spec), FileSource({"compose.yaml": text}, COMPOSE))


def test_a_final_stage_built_from_an_earlier_stage_inherits_its_user_and_workdir():
    df = parse_dockerfile(
        'FROM python:3.13 AS base\nWORKDIR /app\nUSER 10001\nFROM base\nCMD ["python", "s.py"]\n'
    )
    assert df.final.parent is df.stages[0] and df.final.image == "python:3.13"
    assert workdir_at(df.final) == "/app"
    assert docker("FROM python:3.13 AS base\nUSER 10001\nFROM base\n", type="dockerfile_user").passed


def test_arg_defaults_are_substituted_into_from():
    assert docker("ARG V=3.13\nFROM python:${V}\n", type="dockerfile_base_pinned", repository="python").passed
    bad = docker("ARG V=latest\nFROM python:$V\n", type="dockerfile_base_pinned")
    assert "python:$V → python:latest (태그 'latest')" in bad.detail


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("WORKDIR /app\nCOPY server.py .", ["/app/server.py"]),
        ("WORKDIR /app\nADD server.py ./", ["/app/server.py"]),
        ("WORKDIR /app\nCOPY server.py /app", ["/app/server.py"]),
        ("COPY server.py /app", ["/app"]),
        ("WORKDIR /app\nCOPY . .", ["/app/server.py"]),
        ("WORKDIR /app\nCOPY *.py ./", ["/app/server.py"]),
        ('WORKDIR /srv\nWORKDIR ../app\nCOPY ["server.py", "./"]', ["/app/server.py"]),
        ("COPY --from=build /out/server.py /app/", []),
    ],
)
def test_copy_and_add_destinations_resolve_against_workdir(text, where):
    df = parse_dockerfile(f"FROM python:3.13\n{text}\n")
    assert copied_to(df.final, "server.py") == where


def test_user_must_have_been_created_unless_numeric():
    assert created_users(parse_dockerfile("FROM a:1\nRUN groupadd -r g && useradd -r -g g app\n").final) == {
        "app"
    }
    bad = docker("FROM a:1\nUSER app\n", type="dockerfile_user")
    assert bad.detail == (
        "2번째 줄 USER: 기대한 값 RUN useradd 등으로 만든 사용자 또는 숫자 UID, "
        "실제 값 app (Dockerfile에서 만들지 않은 사용자)"
    )
    assert docker("FROM a:1\nUSER 10001:10001\n", type="dockerfile_user").passed
    assert docker(
        "FROM a:1\nRUN adduser --disabled-password --gecos '' app\nUSER app\n", type="dockerfile_user"
    ).passed


def test_a_one_element_exec_array_with_spaces_is_not_a_valid_exec_form():
    bad = docker('FROM a:1\nCMD ["python server.py"]\n', type="dockerfile_exec_form")
    assert not bad.passed and "프로그램과 인자를 따로 적은 배열" in bad.detail
    ok = docker(
        'FROM a:1\nWORKDIR /app\nENTRYPOINT ["python"]\nCMD ["server.py"]\n',
        type="dockerfile_exec_form",
        runs="/app/server.py",
    )
    assert ok.passed


BUILD = "FROM golang:1.25 AS build\nRUN go build -o /out/web .\nFROM scratch\n"


@pytest.mark.parametrize(
    ("copy", "passed"),
    [
        ("COPY --from=build /out/web /web", True),
        ("COPY --from=build --chown=65532:65532 /out/web /web", True),
        ("COPY --chmod=755 --from=BUILD /out/web /web", True),
        ("COPY --from=0 /out/web /web", True),
        ("COPY --from=build /out/ /", True),  # the folder's contents, web included
        ("COPY --from=build /out/web /web/", False),  # a folder: the file lands at /web/web
        ("COPY --from=build /out/web /app/web", False),
        ("COPY --from=golang:1.25 /out/web /web", False),  # an image, not the build stage
        ("COPY /out/web /web", False),  # the build context, not the build stage
    ],
)
def test_a_file_copied_from_a_build_stage_is_found_whatever_the_flags(copy, passed):
    result = docker(f"{BUILD}{copy}\n", type="dockerfile_copy", from_stage=True, src="/out/web", dest="/web")
    assert result.passed is passed, result.detail


@pytest.mark.parametrize(
    ("lines", "passed"),
    [
        ('ENTRYPOINT ["/web", "--port=8080"]', True),
        ('ENTRYPOINT ["/web"]\nCMD ["--port=8080"]', True),
        ('ENTRYPOINT ["/web"]\nCMD ["--port", "8080"]', True),
        ('CMD ["/web", "-port=8080"]', True),
        ('ENTRYPOINT ["/web"]', False),
        ('ENTRYPOINT ["/web", "--port=80"]', False),
    ],
)
def test_the_arguments_a_program_gets_are_read_from_entrypoint_and_cmd_together(lines, passed):
    result = docker(f"FROM a:1\n{lines}\n", type="dockerfile_exec_form", runs="/web", args=["--port=8080"])
    assert result.passed is passed, result.detail
    if not passed:
        assert "실행 명령의 인자: 기대한 값 --port=8080" in result.detail


def test_workdir_is_checked_by_value():
    assert docker("FROM a:1\nWORKDIR /app/\n", type="dockerfile_workdir", path="/app").passed
    assert docker("FROM a:1\nWORKDIR /srv\n", type="dockerfile_workdir", path="/app").detail == (
        "WORKDIR: 기대한 값 /app, 실제 값 /srv"
    )


def test_compose_interpolation_defaults_and_escapes():
    text = (
        "services:\n  web:\n    image: kubaeum/web:${TAG:-1.0}\n    environment: {A: '$${X}', B: '${NOPE}'}\n"
    )
    assert compose(text, type="compose_service", service="web", image="docker.io/kubaeum/web:1.0").passed
    assert compose(text, type="compose_environment", service="web", key="A", value="${X}").passed
    assert compose(text, type="compose_environment", service="web", key="B").detail.endswith("실제 값 빈 값")


def test_compose_ports_short_long_host_ip_and_listening_port():
    base = "services:\n  web:\n    image: kubaeum/web:1.0\n    environment: [PORT=9000]\n    ports: [PORTS]\n"
    spec = {"type": "compose_ports", "service": "web", "published": 8080, "listening": True}
    assert compose(base.replace("PORTS", "'127.0.0.1:8080:9000/tcp'"), **spec).passed
    assert compose(base.replace("PORTS", "{target: 9000, published: '8080'}"), **spec).passed
    assert not compose(base.replace("PORTS", "'8080:8080'"), **spec).passed
    private = compose(base.replace("PORTS", "'9000'"), type="compose_ports", service="web", absent=True)
    assert private.detail == "서비스 'web'의 ports: 기대한 값 공개하지 않음 (ports 없음), 실제 값 9000"


def test_repeated_port_ranges_expand_to_a_bounded_number_of_pairs():
    from labs.grading.checks.compose_checks import MAX_PORT_PAIRS, _ports

    # 24 KB that would expand to 1.2 million (published, target) pairs for every check.
    text = "services:\n  web:\n    image: kubaeum/web:1.0\n    ports:\n" + "      - 1-999:1-999\n" * 1200
    source = FileSource({"compose.yaml": text}, COMPOSE)
    assert len(_ports(source.compose()["services"]["web"])) < MAX_PORT_PAIRS + 1000
    assert compose(text, type="compose_ports", service="web", target=80, published=80).passed


def test_a_program_setting_reads_flags_or_environment():
    spec = {"type": "compose_setting", "service": "api", "setting": "port", "value": "5678"}
    assert compose("services:\n  api: {image: 'kubaeum/web:1.0', command: --port 5678}\n", **spec).passed
    assert compose("services:\n  api: {image: 'kubaeum/web:1.0', environment: [PORT=5678]}\n", **spec).passed
    assert compose("services:\n  api: {image: 'kubaeum/web:1.0'}\n", **spec).detail == (
        "서비스 'api'의 port 설정: 기대한 값 5678, 실제 값 8080"
    )
