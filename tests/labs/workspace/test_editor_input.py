"""Editor input that never reaches the cluster: each answered with a Korean 4xx (and a line when known)."""

import pytest
from django.urls import reverse

from tests.labs.grading.yaml_bombs import billion_laughs

BILLION_LAUGHS = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n" + billion_laughs(
    6, indent="  "
)

WRONG_NAMESPACE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: ok
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: kube-system
spec: {}
"""


def korean(text):
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


@pytest.mark.parametrize("url_name", ["labs-validate", "labs-apply"])
@pytest.mark.parametrize(
    ("yaml_text", "status", "expected", "line"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: y\n", 400, "YAML 문법 오류", 5),
        (BILLION_LAUGHS, 400, "별칭", None),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: \x00\x01\x02}\n",
            400,
            "바이너리",
            None,
        ),
        ("apiVersion: v1\nkind: ConfigMap\ndata: {}\n", 400, "metadata.name", 1),
        ("- just\n- a list\n", 400, "매핑", 1),
        ("", 400, "비어", None),
        (WRONG_NAMESPACE, 400, "kube-system", 10),
        # Inputs that used to be a 500, each now refused at its line.
        ("apiVersion: apps/v1/extra\nkind: Deployment\nmetadata: {name: web}\n", 400, "apiVersion", 1),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "  - name: a\n    image: kubaeum/web:1.0\n    env: 5\n",
            400,
            "env는 목록이어야",
            8,
        ),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: !!int 'x'\n", 400, "!!int", 5),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: !!bool 'x'\n", 400, "!!bool", 5),
        ('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "\x80"\n', 400, "U+0080", 5),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: \ufffe\n", 400, "U+FFFE", 5),
        (
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "\\ud800"\n',
            400,
            "서로게이트",
            5,
        ),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: b\n  a: c\n", 400, "두 번", 6),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n", 400, "4번째 줄과 이 줄", 5),
    ],
)
def test_bad_yaml_is_refused_in_korean(
    student_client, ready_session, url_name, yaml_text, status, expected, line
):
    response = student_client.post(reverse(url_name, args=[ready_session.pk]), {"yaml": yaml_text})
    body = response.content.decode()
    assert response.status_code == status, body
    assert expected in body and korean(body)
    if line:
        assert f'data-error-line="{line}"' in body


@pytest.mark.parametrize("url_name", ["labs-validate", "labs-apply"])
def test_a_5_mb_document_is_refused_before_it_is_read(student_client, ready_session, url_name):
    huge = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n"
        + "  k: "
        + "x" * (5 * 1024 * 1024)
        + "\n"
    )
    response = student_client.post(reverse(url_name, args=[ready_session.pk]), {"yaml": huge})
    assert response.status_code == 413
    assert "너무 큽니다" in response.content.decode()


def test_a_document_just_over_the_editor_limit_is_refused_with_its_size(student_client, ready_session):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: " + "x" * (300 * 1024) + "\n"
    response = student_client.post(reverse("labs-apply", args=[ready_session.pk]), {"yaml": text})
    assert response.status_code == 413
    assert "256KB" in response.content.decode()


def test_editor_refuses_when_the_session_has_ended(student_client, ready_session):
    ready_session.state = "ended"
    ready_session.save()
    response = student_client.post(
        reverse("labs-apply", args=[ready_session.pk]),
        {"yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
    )
    assert response.status_code == 409


def test_editor_refuses_in_korean_when_the_sessions_credentials_are_unreadable(student_client, ready_session):
    ready_session.credentials = "not-a-fernet-token"  # e.g. the encryption key changed
    ready_session.save()
    response = student_client.post(
        reverse("labs-validate", args=[ready_session.pk]),
        {"yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
    )
    assert response.status_code == 409
    assert "실습 환경이 준비되지 않았거나 이미 종료되었습니다" in response.content.decode()


def test_a_256_kb_manifest_of_small_keys_is_refused_without_parsing_it_all(student_client, ready_session):
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: big}", "data:"]
    lines += [f"  k{i}: v{i}" for i in range(16000)]
    assert 200 * 1024 < len("\n".join(lines)) < 256 * 1024
    response = student_client.post(
        reverse("labs-validate", args=[ready_session.pk]), {"yaml": "\n".join(lines)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "너무 복잡합니다" in body and 'data-error-line="2' in body  # the line where the budget ran out


def test_a_merge_key_may_still_be_overridden(student_client, ready_session):
    """(The session's API server does not answer: the answer is the Korean 502, not a refusal.)"""
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
        "data:\n  base: &b {a: '1', b: '2'}\n  merged:\n    <<: *b\n    a: '3'\n"
    )
    response = student_client.post(reverse("labs-validate", args=[ready_session.pk]), {"yaml": text})
    assert response.status_code == 502
    assert "두 번" not in response.content.decode()


def test_an_api_server_that_does_not_answer_is_a_korean_502_without_its_address(
    student_client, ready_session
):
    response = student_client.post(
        reverse("labs-apply", args=[ready_session.pk]),
        {"yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"},
    )
    assert response.status_code == 502
    body = response.content.decode()
    assert "실습 클러스터에 연결하지 못했습니다" in body and "127.0.0.1" not in body
