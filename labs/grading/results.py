"""What grading produces: one CheckResult per check and the GradeReport of a run.

A finished Submission stores its results as JSON (`CheckResult.to_stored`) and reads them
back as CheckResults (`Submission.check_results`); the live task list and the self-test
use the same objects without storing them.
"""

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    points: int
    earned: int
    passed: bool
    message: str  # what the student reads: the check's pass/fail text, or a default
    detail: str  # "<label>: 기대한 값 …, 실제 값 …" for a failed check, or why it was skipped
    expected: str
    found: str
    hint: str
    # Rows graded before these were written lack them: they read as the step-less,
    # plain-text result those rows were shown as.
    step: int = 0  # the step's index (0-based)
    step_title: str = ""
    skipped: bool = False  # the sandbox could not show the behaviour (no real containers)
    message_html: str = ""
    hint_html: str = ""

    def to_stored(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> "CheckResult":
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass(frozen=True)
class GradeReport:
    results: tuple[CheckResult, ...]
    score: int
    max_score: int

    @property
    def perfect(self) -> bool:
        return self.score == self.max_score

    @property
    def failing(self) -> list[str]:
        return [r.id for r in self.results if not r.passed]

    def by_id(self) -> dict[str, CheckResult]:
        return {r.id: r for r in self.results}
