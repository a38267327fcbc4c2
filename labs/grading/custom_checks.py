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


def _allows(rule: dict, group: str, resource: str, verb: str) -> bool:
    def has(values, wanted):
        return wanted in (values or []) or "*" in (values or [])

    return (
        has(rule.get("apiGroups"), group)
        and has(rule.get("resources"), resource)
        and has(rule.get("verbs"), verb)
    )


@python_check("role_allows")
def role_allows(source, params):
    """A Role (or ClusterRole) grants every listed verb on a resource: rules may be split
    or ordered any way, which a field path on rules[0] could not express."""
    kind = params.get("kind", "Role")
    role = source.get(kind, params["role"], params.get("namespace"))
    label = f"{'롤' if kind == 'Role' else '클러스터롤'} '{params['role']}'"
    if role is None:
        return Outcome(False, label, "있음", "없음")
    group, resource = params.get("api_group", ""), params["resource"]
    missing = [
        v for v in params["verbs"] if not any(_allows(r, group, resource, v) for r in role.get("rules") or [])
    ]
    target = f"{group + '/' if group else ''}{resource}"
    if missing:
        return Outcome(
            False, f"{label}의 {target} 권한", ", ".join(params["verbs"]), f"{', '.join(missing)} 없음"
        )
    return Outcome(True, f"{label}의 {target} 권한", "", "")


@python_check("not_cluster_admin")
def not_cluster_admin(source, params):
    """No ClusterRoleBinding hands the ServiceAccount cluster-admin: least privilege."""
    sa, ns = params["service_account"], params["namespace"]
    for binding in source.list("ClusterRoleBinding"):
        if (binding.get("roleRef") or {}).get("name") != "cluster-admin":
            continue
        for subject in binding.get("subjects") or []:
            if (
                subject.get("kind") == "ServiceAccount"
                and subject.get("name") == sa
                and subject.get("namespace") == ns
            ):
                return Outcome(False, "클러스터롤바인딩", "cluster-admin 없음", binding["metadata"]["name"])
    return Outcome(True, "클러스터롤바인딩", "", "")
