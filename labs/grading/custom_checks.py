"""Python checks for what the built-in types cannot say.

A lab uses one with `type: python`, `name: <registered name>` and optional `params`.
Register with the decorator; the function gets (source, params) and returns an Outcome.
Functions must only read the source: no shell, no network besides the source itself.
"""

from collections.abc import Callable

from .checks.registry import Outcome, check_type

PYTHON_CHECKS: dict[str, Callable] = {}


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


def _rule_within(rule: dict, allowed: list[dict]) -> list[str]:
    """What a rule grants beyond the allowed rules ([] when it stays inside them)."""
    extra = []
    for group in rule.get("apiGroups") or [""]:
        for resource in rule.get("resources") or []:
            for verb in rule.get("verbs") or []:
                ok = any(
                    group in (a.get("api_groups") or [a.get("api_group", "")])
                    and resource in a["resources"]
                    and verb in a["verbs"]
                    for a in allowed
                )
                if not ok:
                    extra.append(f"{group + '/' if group else ''}{resource}:{verb}")
    if rule.get("nonResourceURLs"):
        extra.append("nonResourceURLs")
    return extra


def _allowed(params) -> list[dict]:
    return [
        {
            "api_groups": a.get("api_groups") or [a.get("api_group", "")],
            "resources": list(a["resources"]),
            "verbs": list(a["verbs"]),
        }
        for a in params["allowed"]
    ]


@python_check("role_within")
def role_within(source, params):
    """Every rule of the Role stays inside the allowed set (⊆): `verbs: ["*"]` or an extra
    resource is more than "read-only" or "only deployments" allows."""
    kind = params.get("kind", "Role")
    role = source.get(kind, params["role"], params.get("namespace"))
    label = f"{'롤' if kind == 'Role' else '클러스터롤'} '{params['role']}'"
    if role is None:
        return Outcome(False, label, "있음", "없음")
    allowed = _allowed(params)
    extra = [e for r in role.get("rules") or [] for e in _rule_within(r, allowed)]
    want = "; ".join(
        f"{','.join(g or 'core' for g in a['api_groups'])}/{','.join(a['resources'])}: {','.join(a['verbs'])}"
        for a in allowed
    )
    if extra:
        shown = ", ".join(extra[:8]) + (" …" if len(extra) > 8 else "")
        return Outcome(False, f"{label}의 권한 범위", f"{want} 안에서만", f"그 밖의 권한 {shown}")
    return Outcome(True, f"{label}의 권한 범위", want, "범위 안")


def _names_account(subject: dict, account: str, namespace: str, binding_namespace: str | None) -> bool:
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "ServiceAccount":
        # A RoleBinding's ServiceAccount subject without a namespace means the binding's own.
        return name == account and (subject.get("namespace") or binding_namespace) == namespace
    if kind == "Group":
        return name in (
            "system:serviceaccounts",
            f"system:serviceaccounts:{namespace}",
            "system:authenticated",
        )
    if kind == "User":
        return name == f"system:serviceaccount:{namespace}:{account}"
    return False


def _is_default(binding: dict) -> bool:
    """The API server's own default bindings (system:basic-user, system:discovery... for every
    authenticated user): part of every cluster, not something the student granted."""
    labels = (binding.get("metadata") or {}).get("labels") or {}
    return labels.get("kubernetes.io/bootstrapping") == "rbac-defaults"


@python_check("least_privilege")
def least_privilege(source, params):
    """The ServiceAccount gets nothing outside the namespaces it may work in (`namespaces`,
    default its own) and, inside them, only roles whose rules stay within the allowed set: no
    ClusterRoleBinding at all (cluster-admin, edit, view...), no RoleBinding to a ClusterRole
    such as cluster-admin/admin/edit, no binding in another namespace."""
    sa, ns = params["service_account"], params["namespace"]
    places = list(params.get("namespaces") or [ns])
    allowed = _allowed(params)
    who = f"서비스 어카운트 {ns}:{sa}"
    for binding in source.list("ClusterRoleBinding"):
        if _is_default(binding):
            continue
        if any(_names_account(s, sa, ns, None) for s in binding.get("subjects") or []):
            ref = binding.get("roleRef") or {}
            return Outcome(
                False,
                f"{who}의 권한",
                f"{', '.join(places)} 네임스페이스 안의 권한만",
                f"클러스터롤바인딩 '{binding['metadata']['name']}' → 클러스터롤 {ref.get('name')} (클러스터 전체)",
            )
    for binding in source.list("RoleBinding"):
        meta = binding.get("metadata") or {}
        if _is_default(binding):
            continue
        if not any(_names_account(s, sa, ns, meta.get("namespace")) for s in binding.get("subjects") or []):
            continue
        ref = binding.get("roleRef") or {}
        where = f"롤바인딩 '{meta.get('namespace')}/{meta.get('name')}'"
        if (meta.get("namespace") or ns) not in places:
            return Outcome(
                False,
                f"{who}의 권한",
                f"{', '.join(places)} 네임스페이스 안에서만",
                f"{where} (다른 네임스페이스)",
            )
        role = source.get(ref.get("kind", "Role"), ref.get("name"), meta.get("namespace") or ns)
        extra = [e for r in (role or {}).get("rules") or [] for e in _rule_within(r, allowed)]
        if ref.get("kind") == "ClusterRole" and (role is None or extra):
            # cluster-admin, admin, edit...: more than the allowed rules (or unknown to a file source)
            return Outcome(False, f"{who}의 권한", "허용된 권한만", f"{where} → 클러스터롤 {ref.get('name')}")
        if extra:
            shown = ", ".join(extra[:6]) + (" …" if len(extra) > 6 else "")
            return Outcome(
                False, f"{who}의 권한", "허용된 권한만", f"{where} → 롤 {ref.get('name')}: {shown}"
            )
    return Outcome(True, f"{who}의 권한", "허용된 권한만", "허용된 권한만")


@python_check("binds")
def binds(source, params):
    """A RoleBinding gives a Role to a ServiceAccount of the right namespace (the subject's
    namespace counts: `team-red:deployer` is another account)."""
    name, ns = params["binding"], params["namespace"]
    binding = source.get("RoleBinding", name, ns)
    label = f"롤바인딩 '{name}'"
    if binding is None:
        return Outcome(False, label, "있음", "없음")
    ref = binding.get("roleRef") or {}
    want_ref = (params.get("role_kind", "Role"), params["role"])
    if (ref.get("kind"), ref.get("name")) != want_ref:
        return Outcome(
            False,
            f"{label}의 roleRef",
            f"{want_ref[0]} {want_ref[1]}",
            f"{ref.get('kind')} {ref.get('name')}",
        )
    sa, sa_ns = params["service_account"], params.get("service_account_namespace", ns)
    subjects = binding.get("subjects") or []
    if any(
        s.get("kind") == "ServiceAccount" and s.get("name") == sa and (s.get("namespace") or ns) == sa_ns
        for s in subjects
    ):
        return Outcome(
            True, f"{label}의 대상", f"ServiceAccount {sa_ns}:{sa}", f"ServiceAccount {sa_ns}:{sa}"
        )
    found = ", ".join(
        f"{s.get('kind')} {(s.get('namespace') + ':') if s.get('namespace') else ''}{s.get('name')}"
        for s in subjects
    )
    return Outcome(False, f"{label}의 대상", f"ServiceAccount {sa_ns}:{sa}", found or "대상 없음")
