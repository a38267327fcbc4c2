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
