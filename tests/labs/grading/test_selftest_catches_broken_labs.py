"""The self-test has teeth: a wrong solution or a lab that is already solved fails it."""

import copy

from labs.grading.selftest import run_selftest


def test_a_solution_that_misses_a_check_fails_the_selftest(file_lab):
    lab = copy.deepcopy(file_lab)
    lab.definition["solution"]["files"]["Dockerfile"] = (
        "FROM python:3.13-slim\nUSER app\nCMD python server.py\n"
    )
    result = run_selftest(lab)
    assert not result.ok
    assert {"exec-form", "expose", "workdir"} <= set(result.solution_failing)
    assert "실패" in result.summary()


def test_a_lab_whose_starter_already_passes_fails_the_selftest(file_lab):
    lab = copy.deepcopy(file_lab)
    lab.definition["files"][0]["starter"] = lab.definition["solution"]["files"]["Dockerfile"]
    result = run_selftest(lab)
    assert result.untouched_score == result.max_score
    assert not result.ok


def test_the_reference_solution_passes(file_lab, compose_lab):
    for lab in (file_lab, compose_lab):
        result = run_selftest(lab)
        assert result.ok, result.summary()


def test_a_wrong_case_that_passes_is_counted_as_a_false_pass(file_lab):
    lab = file_lab
    wrong = next(c for c in lab.definition["cases"] if c["expect"] == "fail")
    wrong["files"] = dict(lab.definition["solution"]["files"])
    lab.definition["cases"] = [wrong]
    result = run_selftest(lab)
    assert not result.ok
    assert result.false_passes == 1
    assert "잘못 통과" in result.summary()


def test_a_correct_case_that_fails_is_counted_as_a_false_fail_with_what_the_student_saw(file_lab):
    lab = file_lab
    right = next(c for c in lab.definition["cases"] if c["expect"] == "pass")
    right["files"] = {"Dockerfile": "FROM python:latest\n"}
    lab.definition["cases"] = [right]
    result = run_selftest(lab)
    assert result.false_fails == 1
    assert "기대한 값 latest가 아닌 태그나 다이제스트" in result.summary()


def test_a_requirement_without_a_check_fails_the_selftest(file_lab):
    lab = file_lab
    lab.definition["steps"][0]["requirements"].append({"text": "라벨을 붙임", "checks": []})
    result = run_selftest(lab, cases=False)
    assert not result.ok
    assert "요구 사항 '라벨을 붙임'를 확인하는 검사가 없습니다." in result.summary()
