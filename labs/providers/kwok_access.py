"""The student's identity inside a dedicated (kwok) cluster: nearly cluster-admin, not quite.

kwokctl's admin kubeconfig is a system:masters certificate: no RBAC, no admission policy
can hold it back, and it points at certificate files on the server. Students get instead
a ServiceAccount token (kube-system/kubaeum-student) in a self-contained kubeconfig, bound
to a ClusterRole with every verb on every API group except the few that would let them
leave the box:

- no writes to admissionregistration (so the policy below stays), apiregistration
  (aggregated API servers the API server would call), certificates (a CSR approved for
  system:masters); no `impersonate`, `escalate` or `bind` verbs, no TokenRequest for other
  accounts (RBAC then stops any binding to stronger roles);
- a ValidatingAdmissionPolicy for everyone outside system:masters: no new Node objects,
  no writes to node or pod status, Endpoints or EndpointSlices (the addresses the API
  server connects to for logs, exec, port-forward and proxies: pointed at 127.0.0.1 they
  would reach the host's own ports), no ServiceAccount token Secrets, no conversion
  webhooks (the API server would call their URL).

Labels, taints, cordon and drain on the simulated nodes stay allowed.
"""

import time

from django.utils import timezone
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.sandbox.kubeconfig import client_from_text, cluster_entry, token_kubeconfig

NAMESPACE, ACCOUNT, ROLE = "kube-system", "kubaeum-student", "kubaeum-student"
POLICY = "kubaeum-cluster-guard"
VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
READ = ["get", "list", "watch"]
READ_ONLY_GROUPS = {"admissionregistration.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io"}
NO_CORE = {"serviceaccounts/token"}

OUTSIDE_MASTERS = "!has(request.userInfo.groups) || !('system:masters' in request.userInfo.groups)"
# request.subResource is unset (not "") on the main resource.
SUB = "(has(request.subResource) ? request.subResource : '')"
VALIDATIONS = [
    (
        f"!(request.resource.resource == 'nodes' && {SUB} == '' && request.operation == 'CREATE')",
        "노드 오브젝트는 만들 수 없습니다. 실습 클러스터의 노드는 플랫폼이 준비합니다.",
    ),
    (
        f"!(request.resource.resource in ['nodes', 'pods'] && {SUB} == 'status')",
        "노드와 파드의 status는 바꿀 수 없습니다. 주소를 바꾸면 API 서버가 엉뚱한 곳에 접속하게 됩니다.",
    ),
    (
        "!(request.resource.resource in ['endpoints', 'endpointslices'])",
        "엔드포인트와 엔드포인트슬라이스는 컨트롤러가 관리합니다. 직접 만들거나 바꿀 수 없습니다.",
    ),
    (
        f"request.resource.resource != 'secrets' || {SUB} != '' || !has(object.type) "
        "|| object.type != 'kubernetes.io/service-account-token'",
        "서비스 어카운트 토큰 시크릿은 만들 수 없습니다. 만료되지 않는 토큰은 실습이 끝난 뒤에도 남기 때문입니다.",
    ),
    (
        "request.resource.resource != 'customresourcedefinitions' || !has(object.spec.conversion) "
        "|| !has(object.spec.conversion.strategy) || object.spec.conversion.strategy != 'Webhook'",
        "변환 웹훅을 쓰는 CRD는 만들 수 없습니다.",
    ),
]


def _ok_if_exists(call, *args):
    try:
        call(*args)
    except ApiException as e:
        if e.status != 409:
            raise


def _rules(api: client.ApiClient) -> list[dict]:
    core = [r.name for r in client.CoreV1Api(api).get_api_resources().resources if r.name not in NO_CORE]
    rules = [{"apiGroups": [""], "resources": sorted(core), "verbs": VERBS}]
    for group in client.ApisApi(api).get_api_versions().groups:
        verbs = READ if group.name in READ_ONLY_GROUPS else VERBS
        rules.append({"apiGroups": [group.name], "resources": ["*"], "verbs": verbs})
    rules.append({"nonResourceURLs": ["*"], "verbs": ["get"]})
    return rules


def _policy() -> tuple[dict, dict]:
    policy = {
        "metadata": {"name": POLICY},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {
                "resourceRules": [
                    {
                        "apiGroups": ["*"],
                        "apiVersions": ["*"],
                        "operations": ["CREATE", "UPDATE"],
                        "resources": ["*/*"],
                    }
                ]
            },
            "matchConditions": [{"name": "outside-system-masters", "expression": OUTSIDE_MASTERS}],
            "validations": [{"expression": e, "message": m, "reason": "Forbidden"} for e, m in VALIDATIONS],
        },
    }
    binding = {"metadata": {"name": POLICY}, "spec": {"policyName": POLICY, "validationActions": ["Deny"]}}
    return policy, binding


def prepare(admin: client.ApiClient, admin_kubeconfig) -> None:
    """Install the student's account, role and the guard policy (admin credentials), and
    return only once the API server enforces the policy (it compiles it asynchronously)."""
    _install(admin)
    token = client.CoreV1Api(admin).create_namespaced_service_account_token(
        ACCOUNT, NAMESPACE, {"spec": {"audiences": [], "expirationSeconds": 600}}
    )
    probe = token_kubeconfig(cluster_entry(admin_kubeconfig), ACCOUNT, token.status.token, "default")
    deadline = time.monotonic() + 30
    with client_from_text(probe) as api:
        while True:
            try:
                client.CoreV1Api(api).create_node({"metadata": {"name": "kubaeum-probe"}}, dry_run="All")
            except ApiException as e:
                if e.status == 403 and POLICY in (e.body or ""):
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster guard policy is not enforced after 30 s")
            time.sleep(0.2)


def _install(admin: client.ApiClient) -> None:
    admission = client.AdmissionregistrationV1Api(admin)
    policy, binding = _policy()
    _ok_if_exists(admission.create_validating_admission_policy, policy)
    _ok_if_exists(admission.create_validating_admission_policy_binding, binding)
    rbac, core = client.RbacAuthorizationV1Api(admin), client.CoreV1Api(admin)
    _ok_if_exists(rbac.create_cluster_role, {"metadata": {"name": ROLE}, "rules": _rules(admin)})
    _ok_if_exists(core.create_namespaced_service_account, NAMESPACE, {"metadata": {"name": ACCOUNT}})
    binding = {
        "metadata": {"name": ROLE},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": ROLE},
        "subjects": [{"kind": "ServiceAccount", "name": ACCOUNT, "namespace": NAMESPACE}],
    }
    _ok_if_exists(rbac.create_cluster_role_binding, binding)


def student_kubeconfig(admin: client.ApiClient, admin_kubeconfig, session) -> str:
    """A self-contained kubeconfig (CA data and token inline) expiring with the session."""
    until = session.expires_at or timezone.now()
    seconds = max(600, int((until - timezone.now()).total_seconds()) + 300)
    request = {"spec": {"audiences": [], "expirationSeconds": seconds}}
    token = client.CoreV1Api(admin).create_namespaced_service_account_token(ACCOUNT, NAMESPACE, request)
    # cluster_entry inlines the CA file: nothing in the download points at server files.
    return token_kubeconfig(cluster_entry(admin_kubeconfig), ACCOUNT, token.status.token, "default")
