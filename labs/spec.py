"""Typed lab definitions: `Lab.spec`.

The lab file is validated once, by the loader (labs/content/lab_format.py), into the plain
JSON that `Lab.definition` stores. `LabDefinition.from_stored` reads that JSON back into
frozen dataclasses, so every reader uses attributes with the loader's own defaults instead
of `.get()` calls with defaults of their own. A stored key the loader always writes is read
with `[]`: a definition that lacks one is a bug to see, not a value to paper over.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

# Keys every check has, whatever its type; the rest are the type's own parameters.
CHECK_COMMON = {
    "id",
    "type",
    "title",
    "points",
    "pass",
    "fail",
    "hint",
    "pass_html",
    "fail_html",
    "hint_html",
}


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
    params: Mapping[str, Any]  # the check type's parameters: kind, name, path, op, value, ...
    stored: Mapping[str, Any]  # the whole stored check, as the check functions take it

    @classmethod
    def from_stored(cls, data: dict) -> "Check":
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
            stored=MappingProxyType(data),
        )


@dataclass(frozen=True)
class Requirement:
    text: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    instructions: str
    instructions_html: str
    checks: tuple[Check, ...]
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class FileSpec:
    name: str
    kind: str
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
class LabDefinition:
    lessons: tuple[str, ...]
    hints_after: int
    setup: tuple[dict, ...]
    files: tuple[FileSpec, ...]
    steps: tuple[Step, ...]
    hints: tuple[Hint, ...]
    solution: Solution
    max_score: int
    # Service types beyond ClusterIP its namespace sandboxes accept (`requires.service_types`).
    service_types: tuple[str, ...] = ()

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(check for step in self.steps for check in step.checks)

    @classmethod
    def from_stored(cls, data: dict) -> "LabDefinition":
        solution = data["solution"]
        return cls(
            lessons=tuple(data["lessons"]),
            hints_after=int(data["hints_after"]),
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
            max_score=int(data["max_score"]),
            # Read with a default, unlike the rest: a definition synced before the key existed
            # must still provision, and "none" is the safe reading of a missing list.
            service_types=tuple(data.get("service_types", ())),
        )


EMPTY = LabDefinition(
    lessons=(),
    hints_after=2,
    setup=(),
    files=(),
    steps=(),
    hints=(),
    solution=Solution((), "", (), MappingProxyType({}), "", ""),
    max_score=0,
)
