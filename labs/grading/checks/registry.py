from collections.abc import Callable
from dataclasses import dataclass

# Parameter types understood by the lab validator (labs/content/lab_format.py).
PARAM_TYPES = {
    "str",
    "regex",
    "int",
    "number",
    "bool",
    "kind",
    "path",
    "selector",
    "strlist",
    "list",
    "dict",
    "op",
    "any",
}


@dataclass
class Outcome:
    passed: bool
    label: str = ""  # what was looked at: "spec.replicas", "디플로이먼트 'web'"
    expected: str = ""
    found: str = ""
    skipped: str = ""  # why the check could not look (e.g. no real containers); scored as passed

    @property
    def detail(self) -> str:
        if self.skipped:
            return self.skipped
        if self.passed or not (self.expected or self.found):
            return ""
        prefix = f"{self.label}: " if self.label else ""
        return f"{prefix}기대한 값 {self.expected}, 실제 값 {self.found}"


@dataclass
class CheckType:
    name: str
    run: Callable
    required: dict
    optional: dict
    sources: tuple
    description: str
    validate: Callable | None = None


CHECK_TYPES: dict[str, CheckType] = {}


def one_of(param: str, allowed, default=None) -> Callable:
    """A `validate` rule: the parameter must be one of `allowed` (left out: `default`)."""

    def rule(spec) -> list[tuple[str, str]]:
        if spec.get(param, default) in allowed:
            return []
        return [(param, f"{param} 값은 {', '.join(allowed)} 중 하나여야 합니다.")]

    return rule


def check_type(
    name, *, required=None, optional=None, sources=("live", "files"), description="", validate=None
):
    """Register a check type. `validate(spec) -> list[(param, korean message)]` adds rules."""

    def decorator(fn):
        CHECK_TYPES[name] = CheckType(
            name, fn, dict(required or {}), dict(optional or {}), tuple(sources), description, validate
        )
        return fn

    return decorator
