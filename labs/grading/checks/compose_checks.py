"""Compose file checks: a service exists, publishes a port, depends on another, has a variable."""

import re

from .common import show
from .registry import Outcome, check_type

FILES = ("files",)
OPT = {"file": "str"}


def _service(spec, source):
    doc = source.compose(spec.get("file"))
    services = (doc or {}).get("services") if isinstance(doc, dict) else None
    if not isinstance(services, dict):
        return None, Outcome(False, "services", "services 항목", "없음")
    svc = services.get(spec["service"])
    if not isinstance(svc, dict):
        return None, Outcome(
            False, "services", f"서비스 '{spec['service']}'", ", ".join(map(str, services)) or "없음"
        )
    return svc, None


@check_type(
    "compose_service",
    required={"service": "str"},
    optional={**OPT, "image": "regex", "build": "bool"},
    sources=FILES,
    description="서비스가 있음; image 정규식 또는 build 사용",
)
def service(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    label = f"서비스 '{spec['service']}'"
    if spec.get("image") and not re.search(spec["image"], str(svc.get("image") or "")):
        return Outcome(False, f"{label}의 image", f"/{spec['image']}/ 형식", show(svc.get("image")))
    if spec.get("build") and not svc.get("build"):
        return Outcome(False, f"{label}의 build", "설정됨", "없음")
    return Outcome(True, label, "", "")


def _ports(svc) -> list[tuple[str, str]]:
    """(published, target) pairs from short ("8080:80", "80") and long syntax."""
    pairs = []
    for item in svc.get("ports") or []:
        if isinstance(item, dict):
            pairs.append((str(item.get("published") or ""), str(item.get("target") or "")))
        else:
            text = str(item).split("/")[0]
            parts = text.split(":")
            pairs.append((parts[-2] if len(parts) >= 2 else "", parts[-1]))
    return pairs


@check_type(
    "compose_ports",
    required={"service": "str", "target": "int"},
    optional={**OPT, "published": "int"},
    sources=FILES,
    description="서비스가 컨테이너 포트를 공개 (선택: 호스트 포트)",
)
def ports(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    pairs = _ports(svc)
    want_t, want_p = str(spec["target"]), str(spec.get("published") or "")
    ok = any(t == want_t and (not want_p or p == want_p) for p, t in pairs)
    expected = f"{want_p}:{want_t}" if want_p else f"컨테이너 포트 {want_t}"
    found = ", ".join(f"{p}:{t}" if p else t for p, t in pairs) or "ports 없음"
    return Outcome(ok, f"서비스 '{spec['service']}'의 ports", expected, found)


@check_type(
    "compose_depends_on",
    required={"service": "str", "on": "str"},
    optional=OPT,
    sources=FILES,
    description="서비스가 다른 서비스에 depends_on",
)
def depends_on(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    deps = svc.get("depends_on") or []
    names = list(deps) if isinstance(deps, (list, dict)) else []
    return Outcome(
        spec["on"] in names,
        f"서비스 '{spec['service']}'의 depends_on",
        spec["on"],
        ", ".join(map(str, names)) or "없음",
    )


def _environment(svc) -> dict:
    env = svc.get("environment") or {}
    if isinstance(env, dict):
        return {str(k): ("" if v is None else str(v)) for k, v in env.items()}
    result = {}
    for item in env if isinstance(env, list) else []:
        key, _, value = str(item).partition("=")
        result[key] = value
    return result


@check_type(
    "compose_environment",
    required={"service": "str", "key": "str"},
    optional={**OPT, "value": "str"},
    sources=FILES,
    description="서비스에 환경 변수가 있음 (선택: 값)",
)
def environment(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    env = _environment(svc)
    label = f"서비스 '{spec['service']}'의 환경 변수 {spec['key']}"
    if spec["key"] not in env:
        return Outcome(False, label, show(spec.get("value")) if "value" in spec else "설정됨", "없음")
    if "value" in spec and env[spec["key"]] != str(spec["value"]):
        return Outcome(False, label, str(spec["value"]), env[spec["key"]])
    return Outcome(True, label, "", env[spec["key"]])
