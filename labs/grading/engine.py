"""Run a lab's checks against a state source and score them (partial credit per check)."""

import logging

from labs.spec import Check, LabDefinition

from . import custom_checks  # noqa: F401  registers the `python` type and its checks
from .checks import CHECK_TYPES, Outcome
from .results import CheckResult, GradeReport
from .sources import SourceError

log = logging.getLogger(__name__)


def run_check(check: Check, source) -> Outcome:
    kind = CHECK_TYPES[check.type]
    try:
        return kind.run(check.params, source)
    except SourceError as exc:
        return Outcome(False, "클러스터 상태", "읽을 수 있음", str(exc))
    except Exception:  # a broken check must cost its points, not the whole grading
        log.exception("check %s (%s) crashed", check.id, check.type)
        return Outcome(False, "검사", "정상 실행", "검사 중 오류가 발생했습니다")


def _result(check: Check, step: int, step_title: str, outcome: Outcome) -> CheckResult:
    passed = outcome.passed
    default = "통과했습니다." if passed else "아직 조건을 만족하지 않습니다."
    return CheckResult(
        id=check.id,
        title=check.title,
        step=step,
        step_title=step_title,
        passed=passed,
        skipped=bool(outcome.skipped),
        points=check.points,
        earned=check.points if passed else 0,
        message=outcome.skipped or (check.pass_message if passed else check.fail_message) or default,
        message_html=check.pass_html if passed else check.fail_html,
        hint=check.hint,
        hint_html=check.hint_html,
        detail=outcome.detail,
        expected=outcome.expected,
        found=outcome.found,
    )


def grade(spec: LabDefinition, source) -> GradeReport:
    results = tuple(
        _result(check, step.number - 1, step.title, run_check(check, source))
        for step in spec.steps
        for check in step.checks
    )
    return GradeReport(results, sum(r.earned for r in results), spec.max_score)
