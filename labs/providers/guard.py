"""Admission rules for namespace sandboxes, enforced by the API server itself.

One ValidatingAdmissionPolicy (+ binding) per cluster, installed by the namespace provider
before it hands out a sandbox, and seen refusing the student before the first one goes out. It applies to writes in our sandbox namespaces made by that
namespace's own ServiceAccounts (the student), and refuses what RBAC and quotas cannot:

- Services with spec.externalIPs (CVE-2020-8554: intercepting other tenants' traffic), and
  NodePort / LoadBalancer Services unless the lab asked for them (namespace labels below);
- ServiceAccount token Secrets (a token that never expires, outliving the session);
- bulk data: ConfigMap/Secret payloads and annotations over MAX_DATA_BYTES each, so a
  student's objects stay small on a real cluster too (the local cluster's etcd also
  refuses any object over its --max-request-bytes, labs/cluster/local.py).
"""

import time

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.cluster.access import create_or_update
from labs.sandbox import identity

NAME = "kubaeum-sandbox-guard"
ALLOW_NODEPORT = "kubaeum.io/allow-nodeport"
ALLOW_LOADBALANCER = "kubaeum.io/allow-loadbalancer"
MAX_DATA_BYTES = 64 * 1024


def _sum(field: str) -> str:
    return f"(has(object.{field}) ? object.{field}.map(k, size(k) + size(object.{field}[k])).sum() : 0)"


def _allowed(label: str) -> str:
    labels = "namespaceObject.metadata.labels"
    return f"(has({labels}) && '{label}' in {labels} && {labels}['{label}'] == 'true')"


VALIDATIONS = [
    (
        "request.resource.resource != 'services' || !has(object.spec.externalIPs) "
        "|| size(object.spec.externalIPs) == 0",
        "서비스에 spec.externalIPs를 지정할 수 없습니다. 다른 사용자의 트래픽을 가로챌 수 있어 막아 두었습니다.",
    ),
    (
        "request.resource.resource != 'services' || !has(object.spec.type) "
        "|| object.spec.type in ['ClusterIP', 'ExternalName'] "
        f"|| (object.spec.type == 'NodePort' && {_allowed(ALLOW_NODEPORT)}) "
        f"|| (object.spec.type == 'LoadBalancer' && {_allowed(ALLOW_LOADBALANCER)})",
        "이 실습에서는 NodePort와 LoadBalancer 타입 서비스를 만들 수 없습니다. ClusterIP 서비스를 사용하세요.",
    ),
    (
        "request.resource.resource != 'secrets' || !has(object.type) "
        "|| object.type != 'kubernetes.io/service-account-token'",
        "서비스 어카운트 토큰 시크릿은 만들 수 없습니다. 만료되지 않는 토큰은 실습이 끝난 뒤에도 남기 때문입니다.",
    ),
    (
        f"request.resource.resource != 'configmaps' || {_sum('data')} + {_sum('binaryData')} <= {MAX_DATA_BYTES}",
        f"컨피그맵 데이터는 모두 합쳐 {MAX_DATA_BYTES // 1024}KiB까지 넣을 수 있습니다.",
    ),
    (
        f"request.resource.resource != 'secrets' || {_sum('data')} + {_sum('stringData')} <= {MAX_DATA_BYTES}",
        f"시크릿 데이터는 모두 합쳐 {MAX_DATA_BYTES // 1024}KiB까지 넣을 수 있습니다.",
    ),
    (
        f"{_sum('metadata.annotations')} <= {MAX_DATA_BYTES}",
        f"어노테이션은 모두 합쳐 {MAX_DATA_BYTES // 1024}KiB까지 넣을 수 있습니다.",
    ),
]


def policy() -> dict:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": NAME, "labels": {identity.MANAGED_BY: "kubaeum"}},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {
                "namespaceSelector": {"matchLabels": {identity.MANAGED_BY: "kubaeum"}},
                "resourceRules": [
                    {
                        "apiGroups": ["*"],
                        "apiVersions": ["*"],
                        "operations": ["CREATE", "UPDATE"],
                        "resources": ["*"],
                        # Cluster-scoped objects written on the student's behalf (the
                        # IPAddress of a new Service) are not the student's to judge.
                        "scope": "Namespaced",
                    }
                ],
            },
            # The student is a ServiceAccount of the sandbox namespace; controllers and
            # the platform's own admin writes (setup objects use the student's token) pass.
            "matchConditions": [
                {
                    "name": "by-the-namespace-own-accounts",
                    "expression": "has(request.namespace) && request.userInfo.username.startsWith("
                    "'system:serviceaccount:' + request.namespace + ':')",
                }
            ],
            "validations": [{"expression": e, "message": m, "reason": "Forbidden"} for e, m in VALIDATIONS],
        },
    }


def binding() -> dict:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": NAME, "labels": {identity.MANAGED_BY: "kubaeum"}},
        "spec": {
            "policyName": NAME,
            "validationActions": ["Deny"],
            "matchResources": {"namespaceSelector": {"matchLabels": {identity.MANAGED_BY: "kubaeum"}}},
        },
    }


# API servers this process has seen refuse a student through the policy.
_confirmed: set[str] = set()


def ensure(api: client.ApiClient) -> bool:
    """Create or update the policy and its binding. True until this process has seen the API
    server enforce them: the caller then confirms with enforced() before it hands out the
    sandbox (concurrent calls are safe, create_or_update takes the loser's 409)."""
    if api.configuration.host in _confirmed:
        return False
    admission = client.AdmissionregistrationV1Api(api)
    create_or_update(admission, "validating_admission_policy", policy())
    create_or_update(admission, "validating_admission_policy_binding", binding())
    return True


def enforced(api: client.ApiClient, student: client.ApiClient, namespace: str, seconds: float = 30) -> None:
    """Return once the API server refuses the student (a dry run of a Service with
    externalIPs in their namespace): it compiles a new or changed policy a moment after it
    is written, and a sandbox is never handed out before. Asked until each process has seen
    it once, since another process may have written the policy just now. `api`: the admin's."""
    core = client.CoreV1Api(student)
    body = {
        "metadata": {"name": "kubaeum-probe"},
        "spec": {"ports": [{"port": 80}], "externalIPs": ["192.0.2.1"]},
    }
    deadline = time.monotonic() + seconds
    while True:
        try:
            core.create_namespaced_service(namespace, body, dry_run="All")
        except ApiException as e:
            if e.status == 403 and NAME in (e.body or ""):
                _confirmed.add(api.configuration.host)
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the admission policy {NAME} is not enforced after {seconds:.0f} s")
        time.sleep(0.2)
