"""Kubernetes manifests: the mistakes every kind shares, refused with document and line."""

import pytest

from kubaeum.safe_yaml import SafeYamlError
from labs.grading.manifests import parse_manifests

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\n"


def test_valid_multi_document_manifests_are_parsed_into_dicts():
    docs = parse_manifests(POD + "---\n" + POD.replace("hello", "world") + "---\n")
    assert [d["metadata"]["name"] for d in docs] == ["hello", "world"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "매핑이어야"),
        ("kind: Pod\nmetadata: {name: a}\n", "'apiVersion' 필드가 없습니다"),
        ("apiVersion: v1\nmetadata: {name: a}\n", "'kind' 필드가 없습니다"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\n", "'metadata.name' 필드가 없습니다"),
        ("", "비어 있습니다"),
    ],
)
def test_documents_that_are_not_kubernetes_objects_are_refused(text, message):
    with pytest.raises(SafeYamlError, match=message):
        parse_manifests(text)


def test_second_document_errors_name_document_two():
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(POD + "---\napiVersion: v1\nmetadata: {name: b}\n")
    assert str(exc.value).startswith("문서 2, 6번째 줄:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Hello_World\n",
            "문서 1, 4번째 줄: metadata.name: 이름 'Hello_World'",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    version: 1.0\n",
            '문서 1, 6번째 줄: metadata.labels.version: 값은 문자열이어야 합니다. 따옴표로 감싸세요 (예: version: "1.0")',
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: a\n          image: x\n          env:\n            - name: DEBUG\n"
            "              value: true\n",
            "문서 1, 12번째 줄: spec.template.spec.containers[0].env[0].value: 환경 변수 값은 문자열이어야 합니다",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: [1, 2]\n",
            "문서 1, 4번째 줄: spec: '키: 값' 형태의 매핑",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\ndata: !!binary aGVsbG8=\n",
            "지원하지 않는 YAML 태그",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\ndata: !custom x\n",
            "지원하지 않는 YAML 태그 '!custom'",
        ),
    ],
)
def test_schema_mistakes_every_kind_shares_are_reported_with_path_and_line(text, message):
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(text)
    assert message in str(exc.value), str(exc.value)


def test_dates_stay_strings_and_results_are_plain_json_types():
    import json

    docs = parse_manifests(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  since: 2024-01-01\n"
    )
    assert docs[0]["data"]["since"] == "2024-01-01"
    assert type(docs[0]) is dict and type(docs[0]["metadata"]) is dict
    json.dumps(docs)


def test_a_container_field_of_the_wrong_type_is_a_schema_mistake_not_a_crash():
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: b\n    env: 5\n"
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(text)
    assert "env는 목록이어야" in str(exc.value) and exc.value.line == 8
