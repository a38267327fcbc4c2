"""The student's identity inside a dedicated cluster (kwok or kind): nearly cluster-admin,
not quite.

The admin kubeconfig of kwokctl (system:masters) or kind (kubeadm:cluster-admins) passes
every check and, for kwok, points at certificate files on the server. Students get instead
a ServiceAccount token (kube-system/kubaeum-student) in a self-contained kubeconfig, bound
to a ClusterRole with every verb on every API group except the few that would let them
leave the box:

- no writes to admissionregistration (so the policies below stay), apiregistration
  (aggregated API servers the API server would call), certificates (a CSR approved for
  system:masters); no `impersonate`, `escalate` or `bind` verbs, no TokenRequest for other
  accounts (RBAC then stops any binding to stronger roles); no `nodes/proxy` (the kubelet's
  own API runs commands in any pod of the node, past every admission rule);
- a ValidatingAdmissionPolicy for everyone outside the admins: no new Node objects,
  no writes to node or pod status, Endpoints or EndpointSlices (the addresses the API
  server connects to for logs, exec, port-forward and proxies: pointed at 127.0.0.1 they
  would reach the host's own ports), no ServiceAccount token Secrets, no conversion
  webhooks (the API server would call their URL).

A cluster whose pods run as real containers (kind: its node is a privileged container on
the host's Docker engine) gets three more policies (`containers=True`):

- `kubaeum-pod-baseline`: every Pod and ephemeral container outside kube-system and
  local-path-storage meets Pod Security "baseline" (no privileged, host namespaces,
  hostPath, hostPort, added capabilities beyond baseline's list, unsafe sysctls, procMount,
  unconfined seccomp/AppArmor, SELinux types, probe hosts), whoever creates it: pods made
  by the student's Deployments, Jobs and DaemonSets too. A policy rather than namespace
  labels, because the student may create and label namespaces.
- `kubaeum-system-namespaces`: the student changes nothing in kube-system or
  local-path-storage (their privileged pods, kube-proxy and the provisioner's helpers, would
  otherwise be a way out) and cannot exec, attach, port-forward or proxy into their pods.
- `kubaeum-student-volumes`: no hostPath or local PersistentVolumes (a PVC would bring the
  node's files into a baseline pod) and no StorageClass `nodePath`/`pathPattern` (the
  local-path provisioner would make its volume at any path of the node).

Those three restrict "the student": anyone but the admins and the cluster's own parts (its
nodes, its control-plane users, ServiceAccounts of kube-system and local-path-storage other
than the student's). Accounts the student makes in other namespaces count as the student.
Labels, taints, cordon and drain on the nodes stay allowed.
"""

import time
from collections.abc import Callable

from django.utils import timezone
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from labs.cluster.access import create_or_update, ok_if_exists, ok_if_gone
from labs.sandbox.kubeconfig import client_from_text, cluster_entry, token_kubeconfig

NAMESPACE, ACCOUNT, ROLE = "kube-system", "kubaeum-student", "kubaeum-student"
STUDENT = f"system:serviceaccount:{NAMESPACE}:{ACCOUNT}"
POLICY = "kubaeum-cluster-guard"
POD_POLICY, SYSTEM_POLICY, VOLUME_POLICY = (
    "kubaeum-pod-baseline",
    "kubaeum-system-namespaces",
    "kubaeum-student-volumes",
)
VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
READ = ["get", "list", "watch"]
READ_ONLY_GROUPS = {"admissionregistration.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io"}
NO_CORE = {"serviceaccounts/token", "nodes/proxy"}
SYSTEM_NAMESPACES = ["kube-system", "local-path-storage"]

# kwokctl's admin is in system:masters; kubeadm (kind) gives its admin kubeadm:cluster-admins.
ADMIN_GROUPS = ["system:masters", "kubeadm:cluster-admins"]
GROUPS = "(has(request.userInfo.groups) ? request.userInfo.groups : [])"
OUTSIDE_MASTERS = f"!{GROUPS}.exists(g, g in {ADMIN_GROUPS})"
USER = "request.userInfo.username"
# The student, and any account the student can make or borrow (see the module docstring).
STUDENT_CONDITIONS = [
    ("outside-admins-and-nodes", f"!{GROUPS}.exists(g, g in {ADMIN_GROUPS + ['system:nodes']})"),
    (
        "not-a-control-plane-user",
        f"!({USER} in ['system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-proxy'])",
    ),
    (
        "not-a-system-account",
        f"{USER} == '{STUDENT}' || !({USER}.startsWith('system:serviceaccount:kube-system:') "
        f"|| {USER}.startsWith('system:serviceaccount:local-path-storage:'))",
    ),
]
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

# Pod Security "baseline" (k8s.io/pod-security-admission/policy, v1.37) written in CEL.
BASELINE_CAPABILITIES = [
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]  # fmt: skip
SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem", "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
]  # fmt: skip
SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]
APPARMOR = "container.apparmor.security.beta.kubernetes.io/"
ALL_CONTAINERS = ("variables.containers", "variables.ephemeral")


def _each(condition: str, lists: tuple[str, ...] = ALL_CONTAINERS) -> str:
    return " && ".join(f"{name}.all(c, {condition})" for name in lists)


def _profiles(sc: str) -> str:
    """seccomp, AppArmor, SELinux and Windows hostProcess of one securityContext `sc`."""
    return (
        f"{sc}.?seccompProfile.?type.orValue('') != 'Unconfined' "
        f"&& {sc}.?appArmorProfile.?type.orValue('') != 'Unconfined' "
        f"&& {sc}.?seLinuxOptions.?type.orValue('') in {SELINUX_TYPES} "
        f"&& {sc}.?seLinuxOptions.?user.orValue('') == '' && {sc}.?seLinuxOptions.?role.orValue('') == '' "
        f"&& !{sc}.?windowsOptions.?hostProcess.orValue(false)"
    )


def _probe_hosts() -> str:
    handlers = [f"c.?{p}" for p in ("livenessProbe", "readinessProbe", "startupProbe")]
    handlers += [f"c.?lifecycle.?{h}" for h in ("postStart", "preStop")]
    return " && ".join(
        f"{h}.?{kind}.?host.orValue('') == ''" for h in handlers for kind in ("httpGet", "tcpSocket")
    )


SC = "c.?securityContext"
BASELINE = [
    (
        _each(f"!{SC}.?privileged.orValue(false)"),
        "특권(privileged) 컨테이너는 실행할 수 없습니다. 실습 클러스터의 노드는 서버의 컨테이너라서, "
        "특권 컨테이너는 서버 자체에 손이 닿습니다.",
    ),
    (
        "!object.spec.?hostNetwork.orValue(false) && !object.spec.?hostPID.orValue(false) "
        "&& !object.spec.?hostIPC.orValue(false)",
        "hostNetwork, hostPID, hostIPC는 쓸 수 없습니다. 파드는 노드의 네임스페이스가 아니라 자기 것을 씁니다.",
    ),
    (
        "object.spec.?volumes.orValue([]).all(v, !has(v.hostPath))",
        "hostPath 볼륨은 쓸 수 없습니다. 노드의 파일이 필요하면 emptyDir이나 PVC를 쓰세요.",
    ),
    (
        _each("c.?ports.orValue([]).all(p, p.?hostPort.orValue(0) == 0)"),
        "hostPort는 쓸 수 없습니다. 파드에 접속하려면 서비스를 쓰세요.",
    ),
    (
        _each(f"{SC}.?capabilities.?add.orValue([]).all(a, a in {BASELINE_CAPABILITIES})"),
        "기본 목록 밖의 리눅스 캐퍼빌리티(capabilities.add)는 더할 수 없습니다 (예: SYS_ADMIN, NET_ADMIN).",
    ),
    (
        f"object.spec.?securityContext.?sysctls.orValue([]).all(s, s.name in {SAFE_SYSCTLS})",
        "안전한 목록 밖의 sysctl은 설정할 수 없습니다.",
    ),
    (
        _each(f"{SC}.?procMount.orValue('Default') == 'Default'"),
        "procMount는 Default만 쓸 수 있습니다.",
    ),
    (
        _profiles("object.spec.?securityContext") + " && " + _each(_profiles(SC)) + " && "
        f"object.metadata.?annotations.orValue({{}}).all(k, !k.startsWith('{APPARMOR}') "
        f"|| object.metadata.annotations[k] in ['', 'runtime/default'] "
        "|| object.metadata.annotations[k].startsWith('localhost/'))",
        "seccomp나 AppArmor를 끄는 설정(Unconfined), 허용되지 않은 SELinux 옵션, Windows hostProcess는 "
        "쓸 수 없습니다.",
    ),
    (
        _each(_probe_hosts(), ("variables.containers",)),
        "프로브와 라이프사이클 훅에는 host를 지정할 수 없습니다. 프로브는 파드 자신에게 보냅니다.",
    ),
]
# request.namespace is unset on cluster-scoped requests.
NS = "(has(request.namespace) ? request.namespace : '')"
IN_SYSTEM_NAMESPACE = (
    f"{NS} in {SYSTEM_NAMESPACES} "
    f"|| (request.resource.resource == 'namespaces' && request.name in {SYSTEM_NAMESPACES})"
)
STUDENT_VOLUMES = [
    (
        "request.resource.resource != 'persistentvolumes' || (!has(object.spec.hostPath) && !has(object.spec.local))",
        "hostPath나 local 퍼시스턴트볼륨은 만들 수 없습니다. 노드의 파일을 파드에 그대로 열어 주기 때문입니다. "
        "PVC를 만들면 local-path 프로비저너가 볼륨을 준비합니다.",
    ),
    (
        "request.resource.resource != 'storageclasses' || "
        "!object.?parameters.orValue({}).exists(k, k in ['nodePath', 'pathPattern'])",
        "스토리지클래스에는 nodePath와 pathPattern 파라미터를 쓸 수 없습니다. 노드의 아무 경로에나 볼륨을 만들게 되기 때문입니다.",
    ),
]


def _rules(api: client.ApiClient) -> list[dict]:
    core = [r.name for r in client.CoreV1Api(api).get_api_resources().resources if r.name not in NO_CORE]
    rules = [{"apiGroups": [""], "resources": sorted(core), "verbs": VERBS}]
    for group in client.ApisApi(api).get_api_versions().groups:
        verbs = READ if group.name in READ_ONLY_GROUPS else VERBS
        rules.append({"apiGroups": [group.name], "resources": ["*"], "verbs": verbs})
    rules.append({"nonResourceURLs": ["*"], "verbs": ["get"]})
    return rules


def _rule(groups: list[str], resources: list[str], operations: list[str]) -> dict:
    return {"apiGroups": groups, "apiVersions": ["*"], "operations": operations, "resources": resources}


def _policy(name, rules, conditions, validations, variables=()) -> tuple[dict, dict]:
    spec = {
        "failurePolicy": "Fail",
        "matchConstraints": {"resourceRules": rules},
        "matchConditions": [{"name": n, "expression": e} for n, e in conditions],
        "validations": [{"expression": e, "message": m, "reason": "Forbidden"} for e, m in validations],
    }
    if variables:
        spec["variables"] = [{"name": n, "expression": e} for n, e in variables]
    binding = {"metadata": {"name": name}, "spec": {"policyName": name, "validationActions": ["Deny"]}}
    return {"metadata": {"name": name}, "spec": spec}, binding


def policies(containers: bool = False) -> list[tuple[dict, dict]]:
    """(policy, binding) pairs for a dedicated cluster; `containers`: its pods really run."""
    # kwok's controllers and simulated kubelets use the admin's credentials; a kind cluster's
    # kubelet and controllers have their own (they write pod and node status, EndpointSlices).
    who = STUDENT_CONDITIONS if containers else [("outside-system-masters", OUTSIDE_MASTERS)]
    made = [_policy(POLICY, [_rule(["*"], ["*/*"], ["CREATE", "UPDATE"])], who, VALIDATIONS)]
    if not containers:
        return made
    made.append(
        _policy(
            POD_POLICY,
            [_rule([""], ["pods", "pods/ephemeralcontainers"], ["CREATE", "UPDATE"])],
            [("outside-system-namespaces", f"!({NS} in {SYSTEM_NAMESPACES})")],
            BASELINE,
            [
                ("containers", "object.spec.containers + object.spec.?initContainers.orValue([])"),
                ("ephemeral", "object.spec.?ephemeralContainers.orValue([])"),
            ],
        )
    )
    made.append(
        _policy(
            SYSTEM_POLICY,
            [_rule(["*"], ["*/*"], ["CREATE", "UPDATE", "DELETE", "CONNECT"])],
            STUDENT_CONDITIONS,
            [
                (
                    f"!({IN_SYSTEM_NAMESPACE})",
                    "kube-system과 local-path-storage 네임스페이스는 클러스터 자신이 씁니다. 그 안의 오브젝트는 "
                    "만들거나 바꾸거나 지울 수 없고, 그 파드에 exec, attach, port-forward할 수도 없습니다. "
                    "읽기(get, describe, logs)는 됩니다.",
                )
            ],
        )
    )
    made.append(
        _policy(
            VOLUME_POLICY,
            [
                _rule([""], ["persistentvolumes"], ["CREATE", "UPDATE"]),
                _rule(["storage.k8s.io"], ["storageclasses"], ["CREATE", "UPDATE"]),
            ],
            STUDENT_CONDITIONS,
            STUDENT_VOLUMES,
        )
    )
    return made


# One request each policy must refuse, tried (dry run) with the student's token until it is.
def _probes(containers: bool) -> list[tuple[str, Callable[[client.ApiClient], object]]]:
    def node(api):
        client.CoreV1Api(api).create_node({"metadata": {"name": "kubaeum-probe"}}, dry_run="All")

    probes = [(POLICY, node)]
    if not containers:
        return probes

    def privileged_pod(api):
        container = {"name": "c", "image": "kubaeum/busybox:1.35", "securityContext": {"privileged": True}}
        pod = {"metadata": {"name": "kubaeum-probe"}, "spec": {"containers": [container]}}
        client.CoreV1Api(api).create_namespaced_pod("default", pod, dry_run="All")

    def system_config_map(api):
        body = {"metadata": {"name": "kubaeum-probe"}}
        client.CoreV1Api(api).create_namespaced_config_map("kube-system", body, dry_run="All")

    def host_path_volume(api):
        spec = {"capacity": {"storage": "1Mi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/"}}
        body = {"metadata": {"name": "kubaeum-probe"}, "spec": spec}
        client.CoreV1Api(api).create_persistent_volume(body, dry_run="All")

    return probes + [
        (POD_POLICY, privileged_pod),
        (SYSTEM_POLICY, system_config_map),
        (VOLUME_POLICY, host_path_volume),
    ]


def prepare(admin: client.ApiClient, admin_kubeconfig, containers: bool = False) -> None:
    """Install the student's account, role and the guard policies (admin credentials), and
    return only once the API server enforces them (it compiles them asynchronously).
    `containers`: the cluster runs real containers (kind), so the pod and system-namespace
    guards go in too, and kubeadm's bootstrap tokens (which would let a reader of kube-system
    Secrets join a node of their own) are deleted.

    A probe counts only when a guard policy refuses it, and admission runs after
    authorization: by then RBAC lets the student through too, so the student's first
    request is never refused by an RBAC cache that has not seen the new binding yet."""
    _install(admin, containers)
    if containers:
        core = client.CoreV1Api(admin)
        tokens = core.list_namespaced_secret(NAMESPACE, field_selector="type=bootstrap.kubernetes.io/token")
        for secret in tokens.items:
            ok_if_gone(core.delete_namespaced_secret, secret.metadata.name, NAMESPACE)
    token = client.CoreV1Api(admin).create_namespaced_service_account_token(
        ACCOUNT, NAMESPACE, {"spec": {"audiences": [], "expirationSeconds": 600}}
    )
    probe = token_kubeconfig(cluster_entry(admin_kubeconfig), ACCOUNT, token.status.token, "default")
    deadline = time.monotonic() + 30
    waiting = _probes(containers)
    with client_from_text(probe) as api:
        while waiting:
            for policy, call in list(waiting):
                try:
                    call(api)
                except ApiException as e:
                    if e.status == 403 and policy in (e.body or ""):
                        waiting.remove((policy, call))
            if waiting and time.monotonic() > deadline:
                names = ", ".join(p for p, _ in waiting)
                raise RuntimeError(f"the guard policies ({names}) are not enforced after 30 s")
            if waiting:
                time.sleep(0.2)


def _install(admin: client.ApiClient, containers: bool = False) -> None:
    admission = client.AdmissionregistrationV1Api(admin)
    for policy, binding in policies(containers):
        create_or_update(admission, "validating_admission_policy", policy)
        ok_if_exists(admission.create_validating_admission_policy_binding, binding)
    rbac, core = client.RbacAuthorizationV1Api(admin), client.CoreV1Api(admin)
    role = {"metadata": {"name": ROLE}, "rules": _rules(admin)}
    create_or_update(rbac, "cluster_role", role)
    ok_if_exists(core.create_namespaced_service_account, NAMESPACE, {"metadata": {"name": ACCOUNT}})
    binding = {
        "metadata": {"name": ROLE},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": ROLE},
        "subjects": [{"kind": "ServiceAccount", "name": ACCOUNT, "namespace": NAMESPACE}],
    }
    ok_if_exists(rbac.create_cluster_role_binding, binding)


def student_kubeconfig(admin: client.ApiClient, admin_kubeconfig, session) -> str:
    """A self-contained kubeconfig (CA data and token inline) expiring with the session."""
    until = session.expires_at or timezone.now()
    seconds = max(600, int((until - timezone.now()).total_seconds()) + 300)
    request = {"spec": {"audiences": [], "expirationSeconds": seconds}}
    token = client.CoreV1Api(admin).create_namespaced_service_account_token(ACCOUNT, NAMESPACE, request)
    # cluster_entry inlines the CA file: nothing in the download points at server files.
    return token_kubeconfig(cluster_entry(admin_kubeconfig), ACCOUNT, token.status.token, "default")
