"""Lab format: requirements name their checks and repeat the instructions; cases/ files are
validated at sync with file and line."""

from labs.content.lab_format import load_lab
from labs.spec import LabDefinition
from tests.labs.content.test_lab_format import GOOD, write_lab

WITH_REQUIREMENTS = GOOD.replace(
    "    checks:\n",
    "    requirements:\n      - text: 파드 이름 `hello`\n        checks: [pod-exists]\n    checks:\n",
    1,
).replace('"**굵게** 설명"', '"**굵게** 설명: 파드 `hello`를 만드세요."')


def test_requirements_are_stored_and_cover_every_check(tmp_path):
    fields, errors = load_lab(write_lab(tmp_path, "sample", WITH_REQUIREMENTS), {"pods"})
    assert errors == []
    step = fields["definition"]["steps"][0]
    assert step["requirements"][0]["text"] == "파드 이름 `hello`"
    assert LabDefinition.from_stored(fields["definition"]).coverage_problems() == []


def test_a_step_with_checks_but_no_requirements_is_reported_by_the_coverage_rule(tmp_path):
    fields, errors = load_lab(write_lab(tmp_path, "sample", GOOD), {"pods"})
    assert errors == []
    assert LabDefinition.from_stored(fields["definition"]).coverage_problems() == [
        "1단계 '첫 단계': requirements가 없습니다.",
        "검사 'pod-exists'가 어떤 요구 사항에도 연결되지 않았습니다.",
    ]


def test_a_requirement_naming_an_unknown_check_or_a_value_absent_from_the_instructions_is_an_error(tmp_path):
    text = WITH_REQUIREMENTS.replace("checks: [pod-exists]", "checks: [pod-exist]").replace(
        "파드 이름 `hello`", "파드 이름 `hello`, 이미지 `kubaeum/web:1.0`"
    )
    fields, errors = load_lab(write_lab(tmp_path, "sample", text), {"pods"})
    messages = [e.message for e in errors]
    assert any("`kubaeum/web:1.0`가 이 단계의 설명(instructions)에 없습니다" in m for m in messages)
    assert any("없는 검사 'pod-exist'를 가리킵니다" in m for m in messages)
    assert all(e.line > 1 for e in errors)


def test_case_files_are_loaded_and_their_mistakes_reported_with_file_and_line(tmp_path):
    folder = write_lab(tmp_path, "sample", WITH_REQUIREMENTS)
    (folder / "cases").mkdir()
    (folder / "cases" / "ok.yaml").write_text(
        "title: kubectl run\nexpect: pass\ncommands:\n  - [kubectl, run, hello, --image=kubaeum/web:1.0]\n",
        encoding="utf-8",
    )
    fields, errors = load_lab(folder, {"pods"})
    assert errors == []
    assert fields["definition"]["cases"][0]["commands"][0][:3] == ["kubectl", "run", "hello"]
    (folder / "cases" / "wrong.yaml").write_text(
        "title: 틀림\nexpect: fail\nfails:\n  no-such-check: 문구\ncommands:\n  - [kubectl, get, pods]\n",
        encoding="utf-8",
    )
    fields, errors = load_lab(folder, {"pods"})
    shown = [str(e) for e in errors]
    assert any("cases/wrong.yaml:4:" in e and "없는 검사 id" in e for e in shown), shown
    assert any("cases/wrong.yaml" in e and "하위 명령 'get'" in e for e in shown), shown


def test_a_wrong_case_must_say_what_the_student_sees(tmp_path):
    folder = write_lab(tmp_path, "sample", WITH_REQUIREMENTS)
    (folder / "cases").mkdir()
    (folder / "cases" / "w.yaml").write_text(
        "title: 틀림\nexpect: fail\nfails: {pod-exists: null}\n", encoding="utf-8"
    )
    _, errors = load_lab(folder, {"pods"})
    assert [e.message for e in errors] == [
        "실패해야 할 검사 가운데 적어도 하나는 학생이 볼 문구를 적어야 합니다."
    ]


def test_a_refused_case_is_stored_with_its_refusal_and_misuses_of_refused_are_reported(tmp_path):
    folder = write_lab(tmp_path, "sample", WITH_REQUIREMENTS)
    (folder / "cases").mkdir()
    refused = (
        "title: 거부됨\nexpect: refused\nrefused: is forbidden\ncommands:\n  - [kubectl, run, x, --image=a]\n"
    )
    (folder / "cases" / "refused.yaml").write_text(refused, encoding="utf-8")
    fields, errors = load_lab(folder, {"pods"})
    assert errors == []
    assert LabDefinition.from_stored(fields["definition"]).cases[0].refused == "is forbidden"

    (folder / "cases" / "refused.yaml").write_text(
        refused.replace("refused: is forbidden\n", "fails: {pod-exists: 문구}\n"), encoding="utf-8"
    )
    (folder / "cases" / "ok.yaml").write_text(
        "title: 맞음\nexpect: pass\nrefused: is forbidden\ncommands:\n  - [kubectl, run, x, --image=a]\n",
        encoding="utf-8",
    )
    _, errors = load_lab(folder, {"pods"})
    shown = sorted(str(e) for e in errors)
    assert any(
        "cases/ok.yaml:3:" in e and "refused는 expect: refused인 사례에서만 씁니다." in e for e in shown
    ), shown
    assert any(
        "cases/refused.yaml:" in e and "거부 메시지 일부(refused)가 필요합니다." in e for e in shown
    ), shown
    assert any(
        "cases/refused.yaml:3:" in e and "fails는 expect: fail인 사례에서만 씁니다." in e for e in shown
    ), shown
