"""The safe YAML loader: limits on size, depth and aliases, Korean errors with document and line."""

import time

import pytest

from kubaeum.safe_yaml import SafeYamlError, line_at, load_documents, load_one
from labs.grading.manifests import parse_manifests
from tests.labs.grading.yaml_bombs import billion_laughs

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\n"

BILLION_LAUGHS = billion_laughs()


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


def test_line_tracking_remembers_where_each_key_is():
    data = load_one("title: x\nsteps:\n  - id: a\n    points: 3\n", track_lines=True)
    assert data.key_lines == {"title": 1, "steps": 2}
    assert data["steps"][0].key_lines["points"] == 4


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


def test_too_many_nodes_are_refused_by_the_c_parser_before_the_python_loader_runs():
    text = "data:\n" + "".join(f"  k{i}: v\n" for i in range(2000))
    with pytest.raises(SafeYamlError, match="너무 복잡합니다") as exc:
        load_documents(text, max_nodes=500)
    assert exc.value.line == 250  # where the budget ran out: 3 nodes, then 2 per line
    # Without a budget the same text is parsed whole.
    assert len(load_documents(text)[0][0]["data"]) == 2000


def test_an_unclosed_bracket_is_reported_on_the_line_that_opens_it():
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [web\nspec: {}\n"
    with pytest.raises(SafeYamlError) as exc:
        load_one(text)
    assert exc.value.line == 5, str(exc.value)
    assert "목록을 닫는 ']'가 없습니다 (6번째 줄에서 발견)" in exc.value.reason


def test_lines_count_from_where_the_text_starts_in_its_file():
    # Front matter is parsed on its own but starts on line 2 of the lesson file.
    data = load_one("title: x\nquiz:\n  - id: a\n    choices: [x, y]\n", track_lines=True, first_line=2)
    assert line_at(data, "quiz", 0, "choices") == 5
    with pytest.raises(SafeYamlError) as exc:
        load_one("title: x\ntitle: y\n", first_line=2)
    assert exc.value.line == 3 and "2번째 줄과 이 줄" in exc.value.reason


def test_a_missing_key_is_placed_at_its_nearest_parent():
    data = load_one("quiz:\n  - id: a\n    type: single\n", track_lines=True)
    assert line_at(data, "quiz", 0, "choices", 1) == 2  # the question that lacks choices
    assert line_at(data, "quiz", 7) == 1
    assert line_at(data, "summary") == 1


def test_aliases_can_be_refused_outright_for_files_that_never_need_them():
    text = "base: &b [a]\ncopy: *b\n"
    assert load_one(text) == {"base": ["a"], "copy": ["a"]}
    with pytest.raises(SafeYamlError) as exc:
        load_one(text, max_aliases=0)
    assert exc.value.line == 2 and "별칭(*이름)은 쓸 수 없습니다" in exc.value.reason
