"""Run a lab's checks against a state source and score them (partial credit per check)."""

import logging

from . import custom_checks  # noqa: F401  registers the `python` type and its checks
from .checks import CHECK_TYPES, Outcome
from .sources import SourceError

log = logging.getLogger(__name__)


def iter_checks(definition: dict):
    for index, step in enumerate(definition.get("steps") or []):
        for check in step.get("checks") or []:
            yield index, check


def _step_title(definition: dict, index: int) -> str:
    steps = definition.get("steps") or []
    return steps[index].get("title", "") if index < len(steps) else ""


def max_score(definition: dict) -> int:
    return sum(int(c.get("points", 0)) for _, c in iter_checks(definition))


def run_check(check: dict, source) -> Outcome:
    kind = CHECK_TYPES[check["type"]]
    try:
        return kind.run(check, source)
    except SourceError as exc:
        return Outcome(False, "클러스터 상태", "읽을 수 있음", str(exc))
    except Exception:  # a broken check must cost its points, not the whole grading
        log.exception("check %s (%s) crashed", check.get("id"), check.get("type"))
        return Outcome(False, "검사", "정상 실행", "검사 중 오류가 발생했습니다")


def grade(definition: dict, source) -> dict:
    results, score = [], 0
    for step, check in iter_checks(definition):
        outcome = run_check(check, source)
        points = int(check.get("points", 0))
        earned = points if outcome.passed else 0
        score += earned
        default = "통과했습니다." if outcome.passed else "아직 조건을 만족하지 않습니다."
        results.append(
            {
                "id": check["id"],
                "title": check.get("title", check["id"]),
                "step": step,
                "step_title": _step_title(definition, step),
                "passed": outcome.passed,
                "skipped": bool(outcome.skipped),
                "points": points,
                "earned": earned,
                "message": outcome.skipped or check.get("pass" if outcome.passed else "fail") or default,
                "message_html": check.get("pass_html" if outcome.passed else "fail_html", ""),
                "hint_html": check.get("hint_html", ""),
                "detail": outcome.detail,
                "expected": outcome.expected,
                "found": outcome.found,
                "hint": check.get("hint", ""),
            }
        )
    return {"results": results, "score": score, "max_score": max_score(definition)}
