"""secret_value, config_value, quota: exact values where the instruction gives one.

A Secret's value is compared exactly after base64 decoding: `echo pw | base64` stores a
trailing newline, and an empty value is not the password. Quota names are read with
their aliases (`pods` and `count/pods` limit the same thing) and compared as quantities.
"""

import base64
import json

from kubernetes.utils import parse_quantity

from ..kinds import describe
from .common import find
from .registry import Outcome, check_type


def _literal(text: str) -> str:
    """A value with its invisible characters shown: "pw\\n" makes the trailing newline visible."""
    return json.dumps(text, ensure_ascii=False)


def _decoded(secret: dict, key: str):
    """The value of key (data is base64; stringData is what file submissions may carry)."""
    string_data = secret.get("stringData") or {}
    if key in string_data:
        return str(string_data[key])
    data = secret.get("data") or {}
    if key not in data:
        return None
    try:
        return base64.b64decode(str(data[key] or ""), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return "(base64로 읽을 수 없는 값)"


def secret_values(secret: dict) -> dict[str, str]:
    """Every key of a Secret with its decoded value."""
    keys = {*(secret.get("data") or {}), *(secret.get("stringData") or {})}
    return {str(k): v for k in keys if (v := _decoded(secret, k)) is not None}


@check_type(
    "secret_value",
    required={"name": "str", "key": "str", "value": "str"},
    optional={"namespace": "str"},
    description="시크릿의 키 값이 정확히 value (base64를 풀어 비교; 끝의 줄바꿈도 다름)",
)
def secret_value(spec, source):
    obj, failed = find({**spec, "kind": "Secret"}, source)
    if failed:
        return failed
    value = _decoded(obj, spec["key"])
    label = f"{describe('Secret', spec['name'])}의 키 {spec['key']}"
    if value is None:
        keys = sorted({*(obj.get("data") or {}), *(obj.get("stringData") or {})})
        return Outcome(
            False,
            label,
            _literal(spec["value"]),
            "키 없음" + (f" (있는 키: {', '.join(keys)})" if keys else ""),
        )
    return Outcome(value == spec["value"], label, _literal(spec["value"]), _literal(value))


@check_type(
    "config_value",
    required={"name": "str", "key": "str", "value": "str"},
    optional={"namespace": "str", "strip": "bool"},
    description="컨피그맵의 키 값이 정확히 value (strip: 앞뒤 공백·끝 줄바꿈 무시)",
)
def config_value(spec, source):
    obj, failed = find({**spec, "kind": "ConfigMap"}, source)
    if failed:
        return failed
    data = obj.get("data") or {}
    label = f"{describe('ConfigMap', spec['name'])}의 키 {spec['key']}"
    if spec["key"] not in data:
        return Outcome(
            False,
            label,
            _literal(spec["value"]),
            "키 없음" + (f" (있는 키: {', '.join(sorted(data))})" if data else ""),
        )
    value, wanted = str(data[spec["key"]]), spec["value"]
    ok = value.strip() == wanted.strip() if spec.get("strip") else value == wanted
    return Outcome(ok, label, _literal(wanted), _literal(value))


# Object-count quota names: the short core names and their count/<resource> spellings.
QUOTA_ALIASES = {
    "pods": ("pods", "count/pods"),
    "services": ("services", "count/services"),
    "configmaps": ("configmaps", "count/configmaps"),
    "secrets": ("secrets", "count/secrets"),
    "persistentvolumeclaims": ("persistentvolumeclaims", "count/persistentvolumeclaims"),
    "replicationcontrollers": ("replicationcontrollers", "count/replicationcontrollers"),
    "resourcequotas": ("resourcequotas", "count/resourcequotas"),
    "cpu": ("cpu", "requests.cpu"),
    "memory": ("memory", "requests.memory"),
}


def _quantity(value):
    try:
        return parse_quantity(str(value))
    except (ValueError, ArithmeticError):
        return None


@check_type(
    "quota",
    required={"resource": "str"},
    optional={"name": "str", "namespace": "str", "equals": "any", "max": "any"},
    description="리소스쿼터 한도 (pods = count/pods처럼 같은 뜻의 이름을 함께 읽고 수량으로 비교)",
    validate=lambda s: (
        [] if ("equals" in s) != ("max" in s) else [("equals", "equals와 max 중 하나만 씁니다.")]
    ),
)
def quota(spec, source):
    names = QUOTA_ALIASES.get(spec["resource"], (spec["resource"],))
    if spec.get("name"):
        obj, failed = find({**spec, "kind": "ResourceQuota"}, source)
        if failed:
            return failed
        quotas = [obj]
    else:
        quotas = source.list("ResourceQuota", spec.get("namespace"))
    label = f"리소스쿼터의 {spec['resource']} 한도"
    wanted = spec.get("equals", spec.get("max"))
    expected = f"{wanted}" if "equals" in spec else f"≤ {wanted}"
    limits = []
    for q in quotas:
        hard = (q.get("spec") or {}).get("hard") or {}
        limits += [(n, hard[n]) for n in names if n in hard]
    if not limits:
        return Outcome(False, label, expected, f"{' 또는 '.join(names)} 한도 없음")
    target = _quantity(wanted)
    values = [(n, _quantity(v), v) for n, v in limits]
    if "equals" in spec:
        # Several quotas may name the resource; the tightest one is what the namespace gets.
        ok = (
            min(v for _, v, _ in values if v is not None) == target
            if any(v is not None for _, v, _ in values)
            else False
        )
    else:
        ok = any(v is not None and v <= target for _, v, _ in values)
    found = ", ".join(f"{n}: {raw}" for n, _, raw in values)
    return Outcome(ok, label, expected, found)
