"""The safe YAML loader: limits on size, depth and aliases, Korean errors with document and line."""

import time

import pytest

from labs.grading.safe_yaml import SafeYamlError, load_one, parse_manifests
from tests.labs.grading.yaml_bombs import billion_laughs

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\n"

BILLION_LAUGHS = billion_laughs()


def test_valid_multi_document_manifests_are_parsed_into_dicts():
    docs = parse_manifests(POD + "---\n" + POD.replace("hello", "world") + "---\n")
    assert [d["metadata"]["name"] for d in docs] == ["hello", "world"]


def test_billion_laughs_fails_fast_with_a_clear_korean_message():
    started = time.monotonic()
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(BILLION_LAUGHS)
    assert time.monotonic() - started < 1.0
    assert "별칭" in str(exc.value)
    assert "문서 1" in str(exc.value) and "번째 줄" in str(exc.value)


def test_a_five_megabyte_document_is_refused_before_parsing():
    huge = POD + "data: |\n" + ("  " + "x" * 1000 + "\n") * 5000
    started = time.monotonic()
    with pytest.raises(SafeYamlError, match="너무 큽니다"):
        parse_manifests(huge)
    assert time.monotonic() - started < 1.0


def test_binary_input_is_refused():
    with pytest.raises(SafeYamlError, match="바이너리"):
        parse_manifests(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SafeYamlError, match="UTF-8"):
        parse_manifests(b"apiVersion: v1\nkind: \xff\xfe\n")


def test_malformed_yaml_names_the_document_and_line():
    text = POD + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: x\n"
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(text)
    assert str(exc.value).startswith("문서 2, 10번째 줄: YAML 문법 오류")


def test_too_deep_nesting_is_refused():
    with pytest.raises(SafeYamlError, match="중첩이 너무 깊습니다"):
        parse_manifests("[" * 200 + "]" * 200)


def test_too_many_documents_are_refused():
    with pytest.raises(SafeYamlError, match="문서가 너무 많습니다"):
        parse_manifests("---\n".join([POD] * 51))


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


def test_line_tracking_remembers_where_each_key_is():
    data = load_one("title: x\nsteps:\n  - id: a\n    points: 3\n", track_lines=True)
    assert data.key_lines == {"title": 1, "steps": 2}
    assert data["steps"][0].key_lines["points"] == 4


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


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("apiVersion: apps/v1/x\nkind: Deployment\nmetadata: {name: a}\n", "apiVersion 'apps/v1/x'", 1),
        ("a: !!int 'x'\n", "!!int", 1),
        ("a: !!float 'x'\n", "!!float", 1),
        ("a: !!bool maybe\n", "!!bool", 1),
        ("a: ok\nb: \x80\n", "U+0080", 2),
        ("a: ok\nb: \ufffe\n", "U+FFFE", 2),
        ('a: "\\ud800"\n', "서로게이트", 1),
        ('"\\udc00": a\n', "서로게이트", 1),
        ("a: 1\nb: 2\na: 3\n", "두 번", 3),
    ],
)
def test_inputs_python_cannot_hold_are_refused_with_their_line(text, message, line):
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(text) if text.startswith("apiVersion") else load_one(text)
    assert message in str(exc.value) and exc.value.line == line, str(exc.value)


def test_a_merge_key_may_be_overridden_without_counting_as_a_duplicate():
    value = load_one("base: &b {a: 1, b: 2}\nmerged:\n  <<: *b\n  a: 3\n")
    assert value["merged"] == {"a": 3, "b": 2}


def test_a_container_field_of_the_wrong_type_is_a_schema_mistake_not_a_crash():
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: b\n    env: 5\n"
    with pytest.raises(SafeYamlError) as exc:
        parse_manifests(text)
    assert "env는 목록이어야" in str(exc.value) and exc.value.line == 8


def test_too_many_nodes_are_refused_by_the_c_parser_before_the_python_loader_runs():
    from labs.grading.safe_yaml import load_documents

    text = "data:\n" + "".join(f"  k{i}: v\n" for i in range(20000))
    with pytest.raises(SafeYamlError, match="너무 복잡합니다") as exc:
        load_documents(text, max_nodes=5000)
    assert exc.value.line == 2500  # where the budget ran out: 3 nodes, then 2 per line
    # Without a budget the same text is parsed whole.
    assert len(load_documents(text)[0][0]["data"]) == 20000
