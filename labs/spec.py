"""Typed lab definitions: `Lab.spec`.

The lab file is validated once, by the loader (labs/content/lab_format.py), into the plain
JSON that `Lab.definition` stores. `LabDefinition.from_stored` reads that JSON back into
frozen dataclasses, and this module is the only reader of that JSON: grading, the
self-test, live checks, providers, views and templates use attributes with the loader's
own defaults instead of `.get()` calls with defaults of their own. A stored key the loader
always writes is read with `[]`: a definition that lacks one is a bug to see, not a value
to paper over; `.get()` here is only for keys the loader writes when the file has them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# How many finished gradings below full marks unlock the hints, when the lab file does not say.
DEFAULT_HINTS_AFTER = 2

# The texts an author may write on any check; the loader stores each rendered as `<key>_html` too.
CHECK_TEXTS = ("pass", "fail", "hint")
# Keys every stored check has, whatever its type; the rest are the type's own parameters.
CHECK_COMMON = {"id", "type", "title", "points", *CHECK_TEXTS, *(f"{key}_html" for key in CHECK_TEXTS)}


@dataclass(frozen=True)
class Check:
    id: str
    type: str
    title: str
    points: int
    pass_message: str
    fail_message: str
    hint: str
    pass_html: str
    fail_html: str
    hint_html: str
    # The check type's own parameters (kind, name, path, op, value, ...), validated against
    # the type's schema by the loader: each type reads its own, so they stay a mapping.
    params: Mapping[str, Any]

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "Check":
        return cls(
            id=data["id"],
            type=data["type"],
            title=data["title"],
            points=int(data["points"]),
            pass_message=data.get("pass", ""),
            fail_message=data.get("fail", ""),
            hint=data.get("hint", ""),
            pass_html=data.get("pass_html", ""),
            fail_html=data.get("fail_html", ""),
            hint_html=data.get("hint_html", ""),
            params=MappingProxyType({k: v for k, v in data.items() if k not in CHECK_COMMON}),
        )


@dataclass(frozen=True)
class Requirement:
    text: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as the page shows it
    title: str
    instructions: str
    instructions_html: str
    checks: tuple[Check, ...]
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class FileSpec:
    name: str
    kind: str  # dockerfile | compose | manifests
    starter: str


@dataclass(frozen=True)
class Hint:
    text: str
    html: str


@dataclass(frozen=True)
class Solution:
    manifests: tuple[dict, ...]
    manifests_text: str
    commands: tuple[tuple[str, ...], ...]
    files: Mapping[str, str]
    explanation: str
    explanation_html: str


@dataclass(frozen=True)
class Case:
    """A self-test case (cases/*.yaml): an alternative correct answer or a known-wrong one."""

    name: str
    title: str
    expect: str  # pass | fail | refused
    fails: Mapping[str, str | None]  # check id → the text the student must see (None: not asserted)
    refused: str  # expect: refused — part of the API server's refusal
    manifests: tuple[dict, ...]  # live labs
    commands: tuple[tuple[str, ...], ...]  # live labs
    files: Mapping[str, str]  # file labs

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "Case":
        # The loader writes manifests/commands for live labs, files for file labs, refused
        # only for expect: refused.
        return cls(
            name=data["name"],
            title=data["title"],
            expect=data["expect"],
            fails=MappingProxyType(dict(data["fails"])),
            refused=data.get("refused", ""),
            manifests=tuple(data.get("manifests", ())),
            commands=tuple(tuple(c) for c in data.get("commands", ())),
            files=MappingProxyType(dict(data.get("files", {}))),
        )


@dataclass(frozen=True)
class LabDefinition:
    lessons: tuple[str, ...]
    hints_after: int
    service_types: tuple[str, ...]  # Service types beyond ClusterIP the sandbox must allow
    setup: tuple[dict, ...]
    files: tuple[FileSpec, ...]
    steps: tuple[Step, ...]
    hints: tuple[Hint, ...]
    solution: Solution
    cases: tuple[Case, ...]

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(check for step in self.steps for check in step.checks)

    @property
    def max_score(self) -> int:
        """Full marks: every check's points (partial credit is per check)."""
        return sum(check.points for check in self.checks)

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "LabDefinition":
        solution = data["solution"]
        return cls(
            lessons=tuple(data["lessons"]),
            hints_after=int(data["hints_after"]),
            service_types=tuple(data["service_types"]),
            setup=tuple(data["setup"]),
            files=tuple(FileSpec(f["name"], f["kind"], f["starter"]) for f in data["files"]),
            steps=tuple(
                Step(
                    number=number,
                    title=step["title"],
                    instructions=step["instructions"],
                    instructions_html=step["instructions_html"],
                    checks=tuple(Check.from_stored(c) for c in step["checks"]),
                    requirements=tuple(
                        Requirement(r["text"], tuple(r["checks"])) for r in step["requirements"]
                    ),
                )
                for number, step in enumerate(data["steps"], start=1)
            ),
            hints=tuple(Hint(h["text"], h["html"]) for h in data["hints"]),
            solution=Solution(
                manifests=tuple(solution["manifests"]),
                manifests_text=solution["manifests_text"],
                commands=tuple(tuple(c) for c in solution["commands"]),
                files=MappingProxyType(dict(solution["files"])),
                explanation=solution["explanation"],
                explanation_html=solution["explanation_html"],
            ),
            cases=tuple(Case.from_stored(c) for c in data["cases"]),
        )

    def coverage_problems(self) -> list[str]:
        """What the self-test reports about requirements: a requirement with no check, a
        check that covers no requirement, a step with checks but no requirements."""
        problems = []
        covered: set[str] = set()
        for step in self.steps:
            if step.checks and not step.requirements:
                problems.append(f"{step.number}단계 '{step.title}': requirements가 없습니다.")
            for req in step.requirements:
                if not req.checks:
                    problems.append(f"{step.number}단계 요구 사항 '{req.text}'를 확인하는 검사가 없습니다.")
                covered.update(req.checks)
        for check in self.checks:
            if check.id not in covered:
                problems.append(f"검사 '{check.id}'가 어떤 요구 사항에도 연결되지 않았습니다.")
        return problems


# An admin-made row with no synced definition yet: a lab with no steps.
EMPTY = LabDefinition(
    lessons=(),
    hints_after=DEFAULT_HINTS_AFTER,
    service_types=(),
    setup=(),
    files=(),
    steps=(),
    hints=(),
    solution=Solution((), "", (), MappingProxyType({}), "", ""),
    cases=(),
)
