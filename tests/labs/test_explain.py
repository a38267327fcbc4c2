"""Korean explanations for the API errors beginners meet first; unknown messages get none."""

import pytest
from django.template import Context, Template

from labs.explain import explain

CASES = [
    (
        '문서 1 (Pod/web): 유효하지 않은 값입니다 — Pod "web" is invalid: spec: Forbidden: pod updates may not '
        "change fields other than `spec.containers[*].image`",
        "파드는 만든 뒤 대부분의 필드를 바꿀 수 없습니다 — 지우고 다시 만드세요.",
    ),
    (
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{}: field is immutable',
        "spec.selector는 만든 뒤 바꿀 수 없는 필드입니다.",
    ),
    (
        "문서 1 (Deployment/web): 유효하지 않은 값입니다 — failed to create typed patch object "
        "(lab-1/web; apps/v1, Kind=Deployment): .spec.replicass: field not declared in schema",
        "'replicass'는 이 위치에 쓸 수 없는 필드입니다 (spec.replicass).",
    ),
    (
        "문서 1, 5번째 줄: YAML 문법 오류: expected <block end>, but found '<block mapping start>'",
        "YAML 들여쓰기가 맞지 않습니다.",
    ),
    (
        'Error from server (Forbidden): pods "a" is forbidden: exceeded quota: lab-quota, requested: pods=1, '
        "used: pods=20, limited: pods=20",
        "실습 네임스페이스에 정해진 할당량(ResourceQuota)을 넘었습니다 (pods=1).",
    ),
    (
        'Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:lab-1:student" cannot '
        'list resource "nodes" in API group "" at the cluster scope',
        "이 실습 계정에는 그 작업을 할 권한이 없습니다.",
    ),
]


@pytest.mark.parametrize(("message", "title"), CASES)
def test_common_api_errors_get_a_korean_title(message, title):
    assert explain(message).title == title


def test_an_unknown_message_gets_no_explanation():
    assert explain("spec.replicas: Invalid value: -1: must be greater than or equal to 0") is None
    assert explain("") is None


def test_advice_shows_commands_as_code_and_escapes_the_rest():
    html = str(explain(CASES[5][0]).advice_html)
    assert "<code>kubectl auth can-i create deployments</code>" in html
    assert "<script" not in explain("<script>x</script> is forbidden: User a cannot b").advice_html


def test_editor_result_keeps_the_original_message_folded_below():
    html = Template("{% include 'labs/editor_result.html' %}").render(
        Context({"error": CASES[0][0], "dry_run": False, "line": 3})
    )
    assert "지우고 다시 만드세요" in html
    assert '<details class="error-original">' in html and "pod updates may not change" in html


def test_console_entry_explains_a_failed_kubectl_and_folds_its_output():
    from types import SimpleNamespace

    entry = SimpleNamespace(
        is_finished=True, state="done", problem="", exit_code=1, output=CASES[4][0] + "\n", duration_ms=80
    )
    html = Template("{% include 'labs/console_entry.html' %}").render(
        Context({"entry": entry, "command": "kubectl run a --image=x", "session": None})
    )
    assert "할당량(ResourceQuota)을 넘었습니다" in html
    assert '<details class="console-original">' in html and "exceeded quota" in html


def test_console_entry_of_a_successful_command_is_left_as_it_is():
    from types import SimpleNamespace

    entry = SimpleNamespace(
        is_finished=True, state="done", problem="", exit_code=0, output="pod/a created\n", duration_ms=80
    )
    html = Template("{% include 'labs/console_entry.html' %}").render(
        Context({"entry": entry, "command": "kubectl run a", "session": None})
    )
    assert "console-why" not in html and "pod/a created" in html
