"""tolerates: whether a pod template tolerates a node's taint, by Kubernetes' own matching.

A toleration matches a taint when the effects agree (an empty effect matches every effect)
and either `operator: Exists` with the taint's key (an empty key with Exists matches every
taint) or `operator: Equal` (the default) with the same key and value. Reading one field,
such as the key, would pass `operator: Equal` without the value, which tolerates only a
taint whose value is empty.
"""

from .common import find, pod_spec, show
from .registry import Outcome, check_type, one_of

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def toleration_matches(toleration: dict, key: str, value: str, effect: str) -> bool:
    if not isinstance(toleration, dict):
        return False
    if toleration.get("effect") not in (None, "", effect):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        if toleration.get("value"):  # the API server refuses Exists with a value
            return False
        return not toleration.get("key") or toleration.get("key") == key
    if operator != "Equal":
        return False
    return toleration.get("key") == key and str(toleration.get("value") or "") == value


def _show_toleration(t) -> str:
    if not isinstance(t, dict):
        return show(t)
    operator = t.get("operator") or "Equal"
    text = f"{t.get('key') or '(모든 키)'} {operator}"
    if operator == "Equal":
        text += f" {show(t.get('value') or '')!r}"
    return text + f" {t.get('effect') or '(모든 효과)'}"


@check_type(
    "tolerates",
    required={"kind": "kind", "name": "str", "key": "str", "effect": "str"},
    optional={"value": "str", "namespace": "str"},
    description="파드(템플릿)의 톨러레이션이 테인트 key=value:effect를 견딤 (쿠버네티스의 일치 규칙대로: Exists,"
    " Equal과 값, 빈 효과)",
    validate=one_of("effect", EFFECTS),
)
def tolerates(spec, source):
    obj, failed = find(spec, source)
    if failed:
        return failed
    key, value, effect = spec["key"], spec.get("value", ""), spec["effect"]
    taint = f"{key}={value}:{effect}" if value else f"{key}:{effect}"
    tolerations = pod_spec(obj).get("tolerations") or []
    found = "; ".join(_show_toleration(t) for t in tolerations) or "톨러레이션 없음"
    ok = any(toleration_matches(t, key, value, effect) for t in tolerations)
    return Outcome(ok, "톨러레이션", f"테인트 {taint}을 견딤", found)
