"""exists, absent, field, count: questions about objects and their fields."""

import re

from kubernetes.utils import parse_quantity

from ..images import parse_image, same_image
from ..kinds import describe, parse_selector
from ..paths import MISSING, parse_path, resolve_all
from .common import TARGET, alive, find, selected, show
from .registry import Outcome, check_type

OPS = ("equals", "one_of", "regex", "gte", "lte", "contains", "present", "absent")

# What the student reads in "<label>: 기대한 값 …, 실제 값 …" for common leaf fields.
LEAF_NAMES = {
    "image": "이미지",
    "replicas": "레플리카 수",
    "containerPort": "컨테이너 포트",
    "port": "서비스 포트",
    "targetPort": "targetPort",
    "type": "종류",
    "args": "인자",
    "command": "명령",
    "maxSurge": "maxSurge",
    "maxUnavailable": "maxUnavailable",
    "value": "값",
    "name": "이름",
}
_QUANTITY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i?|[munkMGTPE])?$")


@check_type("exists", required=TARGET, optional={"namespace": "str"}, description="오브젝트가 있다")
def exists(spec, source):
    obj, failed = find(spec, source)
    return failed or Outcome(True, describe(spec["kind"], spec["name"]), "있음", "있음")


@check_type("absent", required=TARGET, optional={"namespace": "str"}, description="오브젝트가 없다")
def absent(spec, source):
    obj = source.get(spec["kind"], spec["name"], spec.get("namespace"))
    return Outcome(
        obj is None, describe(spec["kind"], spec["name"]), "없음", "없음" if obj is None else "있음"
    )


def _validate_field(spec):
    errors = []
    op = spec.get("op", "equals")
    if op not in OPS:
        errors.append(("op", f"알 수 없는 비교 '{op}'입니다. 가능한 값: {', '.join(OPS)}"))
    if op in ("equals", "contains", "gte", "lte", "regex") and "value" not in spec:
        errors.append(("value", f"비교 '{op}'에는 value가 필요합니다."))
    if op == "one_of" and not isinstance(spec.get("value"), list):
        errors.append(("value", "비교 'one_of'의 value는 목록이어야 합니다."))
    if op == "regex" and "value" in spec:
        try:
            re.compile(str(spec["value"]))
        except re.error as exc:
            errors.append(("value", f"정규식이 잘못되었습니다: {exc}"))
    if "name" not in spec and "selector" not in spec:
        errors.append(("name", "name 또는 selector 중 하나가 필요합니다."))
    return errors


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return value
    return parse_quantity(str(value))


def _as_quantity(value):
    """A number for 3, "3", "0.5", "500m", "128Mi"; None for anything else (names, "1.O")."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return parse_quantity(str(value))
    if isinstance(value, str) and _QUANTITY.match(value.strip()):
        try:
            return parse_quantity(value.strip())
        except (ValueError, ArithmeticError):
            return None
    return None


def _same(a, b, image: bool = False) -> bool:
    """Equal in meaning: the same image reference, the same quantity (3 = "3", 0.5 = 500m)."""
    if a == b:
        return True
    if image and isinstance(a, str) and isinstance(b, str) and parse_image(b):
        return same_image(a, b)
    scalar = (str, int, float)
    if not (isinstance(a, scalar) and isinstance(b, scalar)) or isinstance(a, bool) or isinstance(b, bool):
        return False
    if str(a) == str(b):
        return True
    qa, qb = _as_quantity(a), _as_quantity(b)
    return qa is not None and qb is not None and qa == qb


def compare(op: str, found, wanted, image: bool = False) -> tuple[bool, str]:
    """(passed, expected text). image: the values are image references (parsed, not spelled)."""
    if op == "present":
        return found is not MISSING and found is not None and found != "", "값이 설정됨"
    if op == "absent":
        return found is MISSING or found is None, "설정하지 않음"
    if op == "equals":
        return found is not MISSING and _same(found, wanted, image), show(wanted)
    if op == "one_of":
        # null in the list stands for "not set" (a field the API server leaves out, or fills
        # with the cluster's default, such as a PVC's storageClassName).
        unset = found is MISSING or found is None
        ok = any(w is None if unset else w is not None and _same(found, w, image) for w in wanted)
        return ok, " 또는 ".join("설정하지 않음" if w is None else show(w) for w in wanted)
    if op == "regex":
        ok = (
            found is not MISSING
            and isinstance(found, (str, int, float))
            and re.search(str(wanted), str(found)) is not None
        )
        return ok, f"/{wanted}/ 형식"
    if op == "contains":
        if isinstance(found, list):
            ok = any(
                _same(item, wanted)
                or (
                    isinstance(wanted, dict)
                    and isinstance(item, dict)
                    and all(item.get(k) == v for k, v in wanted.items())
                )
                for item in found
            )
        elif isinstance(found, dict) and isinstance(wanted, dict):
            ok = all(found.get(k) == v for k, v in wanted.items())
        elif isinstance(found, str):
            ok = str(wanted) in found
        else:
            ok = False
        return ok, f"{show(wanted)} 포함"
    if op in ("gte", "lte"):
        try:
            a, b = _number(found), _number(wanted)
        except (ValueError, TypeError, ArithmeticError):
            return False, f"{'≥' if op == 'gte' else '≤'} {show(wanted)}"
        return (a >= b if op == "gte" else a <= b), f"{'≥' if op == 'gte' else '≤'} {show(wanted)}"
    raise ValueError(op)


@check_type(
    "field",
    required={"kind": "kind", "path": "path"},
    optional={
        "name": "str",
        "selector": "selector",
        "namespace": "str",
        "op": "op",
        "value": "any",
        "label": "str",
    },
    description="필드 값 비교 (equals, one_of, regex, gte, lte, contains, present, absent); 경로가 여러 값에"
    " 닿으면 하나라도 맞으면 통과",
    validate=_validate_field,
)
def field(spec, source):
    op, wanted, path = spec.get("op", "equals"), spec.get("value"), spec["path"]
    if op == "regex" and isinstance(wanted, str) and "{namespace}" in wanted:
        # A URL must name the student's own namespace, not any namespace.
        ns = getattr(source, "namespace", None) or spec.get("namespace")
        wanted = wanted.replace("{namespace}", re.escape(ns) if ns else "[a-z0-9]([-a-z0-9]*[a-z0-9])?")
    steps = parse_path(path)
    leaf = next((s[1] for s in reversed(steps) if s[0] == "key"), "")
    image = leaf == "image"
    label = spec.get("label") or LEAF_NAMES.get(leaf, path)
    if spec.get("name"):
        obj, failed = find(spec, source)
        if failed:
            return failed
        targets = [obj]
    else:
        targets = selected(spec, source)
        if not targets:
            return Outcome(False, f"{describe(spec['kind'])} ({spec.get('selector')})", "1개 이상", "0개")
    expected = ""
    for obj in targets:
        values = resolve_all(obj, path)
        results = [compare(op, v, wanted, image) for v in values or [MISSING]]
        expected = results[0][1]
        if op == "absent":
            ok = all(r[0] for r in results)
        else:
            ok = any(r[0] for r in results)
        if not ok:
            where = label if len(targets) == 1 else f"{obj['metadata']['name']}의 {label}"
            found = ", ".join(show(v) for v in values) if values else show(MISSING)
            return Outcome(False, where, expected, found)
    values = resolve_all(targets[0], path)
    return Outcome(True, label, expected, ", ".join(show(v) for v in values) or show(MISSING))


def _validate_count(spec):
    if not any(k in spec for k in ("min", "max", "equals")):
        return [("min", "min, max, equals 중 하나 이상이 필요합니다.")]
    try:
        parse_selector(spec.get("selector"))
    except ValueError as exc:
        return [("selector", str(exc))]
    return []


@check_type(
    "count",
    required={"kind": "kind"},
    optional={"selector": "selector", "namespace": "str", "min": "int", "max": "int", "equals": "int"},
    description="레이블 셀렉터에 맞는 오브젝트 수",
    validate=_validate_count,
)
def count(spec, source):
    n = len(alive(selected(spec, source)))
    label = f"{describe(spec['kind'])} 수" + (f" ({spec['selector']})" if spec.get("selector") else "")
    if "equals" in spec:
        return Outcome(n == spec["equals"], label, f"{spec['equals']}개", f"{n}개")
    low, high = spec.get("min"), spec.get("max")
    ok = (low is None or n >= low) and (high is None or n <= high)
    expected = " ".join(
        p
        for p in (f"{low}개 이상" if low is not None else "", f"{high}개 이하" if high is not None else "")
        if p
    )
    return Outcome(ok, label, expected, f"{n}개")
