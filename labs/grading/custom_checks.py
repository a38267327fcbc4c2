"""Python checks for what the built-in types cannot say.

A lab uses one with `type: python`, `name: <registered name>` and optional `params`.
Register with the decorator; the function gets (source, params) and returns an Outcome.
Functions must only read the source: no shell, no network besides the source itself.
"""

from .checks.common import containers
from .checks.registry import Outcome, check_type
from .kinds import matches

PYTHON_CHECKS = {}


def python_check(name: str):
    def decorator(fn):
        PYTHON_CHECKS[name] = fn
        return fn

    return decorator


def _validate(spec):
    if spec.get("name") not in PYTHON_CHECKS:
        known = ", ".join(sorted(PYTHON_CHECKS))
        return [("name", f"등록되지 않은 파이썬 검사 '{spec.get('name')}'입니다. 등록된 검사: {known}")]
    if not isinstance(spec.get("params", {}), dict):
        return [("params", "params는 매핑이어야 합니다.")]
    return []


@check_type(
    "python",
    required={"name": "str"},
    optional={"params": "dict"},
    description="custom_checks.py에 등록된 파이썬 검사",
    validate=_validate,
)
def run_python(spec, source):
    return PYTHON_CHECKS[spec["name"]](source, spec.get("params") or {})


@python_check("service_targets_declared_port")
def service_targets_declared_port(source, params):
    """The Service's targetPort is a port (number or name) declared by the containers of the
    workloads its selector picks: a Service aimed at a port nobody listens on is a classic bug
    that endpoints alone do not reveal."""
    name, kind = params["service"], params.get("kind", "Deployment")
    svc = source.get("Service", name)
    if svc is None:
        return Outcome(False, f"서비스 '{name}'", "있음", "없음")
    selector = (svc.get("spec") or {}).get("selector") or {}
    declared = set()
    for obj in source.list(kind):
        labels = (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels")
        if selector and matches(labels, selector):
            for c in containers(obj):
                for port in c.get("ports") or []:
                    declared.update({str(port.get("containerPort")), str(port.get("name"))})
    targets = [str(p.get("targetPort", p.get("port"))) for p in (svc.get("spec") or {}).get("ports") or []]
    ok = bool(targets) and all(t in declared for t in targets)
    found = f"targetPort {', '.join(targets) or '없음'} / 컨테이너 포트 {', '.join(sorted(declared - {'None'})) or '없음'}"
    return Outcome(ok, f"서비스 '{name}'의 targetPort", "선택된 컨테이너가 연 포트", found)
