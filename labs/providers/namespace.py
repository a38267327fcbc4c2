"""`namespace` provider: a namespace of its own on the shared cluster, guarded by RBAC.

The student's ServiceAccount gets a namespaced Role (no rbac.authorization.k8s.io verbs at
all, so it cannot bind itself to anything stronger), a ResourceQuota, a LimitRange, a
NetworkPolicy that admits traffic from its own namespace only, and a TokenRequest token
that expires with the session. Objects are created directly, one request each.
"""

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import timezone
from kubernetes import client
from kubernetes.client.exceptions import ApiException
from urllib3.exceptions import HTTPError

from labs.cluster.access import ok_if_exists, wait_until_allowed
from labs.sandbox import identity
from labs.sandbox.kubeconfig import admin_client, client_from_text, cluster_entry, token_kubeconfig

from . import guard
from .base import Provider, ProviderError, Sandbox

log = logging.getLogger(__name__)
ACCOUNT = "student"
ROLE = "kubaeum-student"
MANAGE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
READ = ["get", "list", "watch"]
RULES = [
    (
        "",
        ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers"],
        MANAGE,
    ),
    (
        "",
        [
            "pods/log",
            "pods/status",
            "endpoints",
            "events",
            "serviceaccounts",
            "resourcequotas",
            "limitranges",
        ],
        READ,
    ),
    ("", ["pods/exec", "pods/attach", "pods/portforward", "pods/eviction"], ["get", "create"]),
    # GET through the API server's service proxy to the namespace's own Services: how labs
    # with real containers (and the `http_get` check, which reads with these credentials)
    # see a Service answer. The API server proxies only to endpoints that are pods of the
    # same namespace (isValidAddress in its service storage), so it reaches nothing else.
    ("", ["services/proxy"], ["get"]),
    ("apps", ["deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions"], MANAGE),
    ("apps", ["deployments/scale", "replicasets/scale", "statefulsets/scale"], ["get", "update", "patch"]),
    ("batch", ["jobs", "cronjobs"], MANAGE),
    ("autoscaling", ["horizontalpodautoscalers"], MANAGE),
    ("policy", ["poddisruptionbudgets"], MANAGE),
    ("discovery.k8s.io", ["endpointslices"], READ),
    ("events.k8s.io", ["events"], READ),
    ("networking.k8s.io", ["networkpolicies", "ingresses"], READ),
]
# What a container gets when the student's manifest names no resources. The CPU request
# is what the scheduler reserves on the shared node, whatever the pod uses: lab containers
# idle near zero, and at 50m a 2-core kind lab cluster was full at about 20 pods across all
# students; at 10m about 100 fit (the kubelet's limit is 110 pods a node).
LIMIT_DEFAULTS = {
    "default": {"cpu": "200m", "memory": "256Mi"},
    "defaultRequest": {"cpu": "10m", "memory": "64Mi"},
    "max": {"cpu": "2", "memory": "2Gi"},
}


_executor: ThreadPoolExecutor | None = None
_executor_pid = 0


def _pool() -> ThreadPoolExecutor:
    # Created lazily and per process: Celery's prefork children must not inherit threads.
    global _executor, _executor_pid
    if _executor is None or _executor_pid != os.getpid():
        _executor, _executor_pid = (
            ThreadPoolExecutor(max_workers=5, thread_name_prefix="sandbox"),
            os.getpid(),
        )
    return _executor


def service_types(lab) -> set[str]:
    """Service types beyond ClusterIP this lab's sandboxes accept: what the lab file asks for
    (`requires.service_types`) plus the installation's LAB_ALLOWED_SERVICE_TYPES (empty by
    default). They become namespace labels set here, at creation, with admin rights: the
    student's Role has no verb on namespaces, so only the platform can open one."""
    wanted = {*lab.spec.service_types, *settings.LAB_ALLOWED_SERVICE_TYPES}
    return wanted & {"NodePort", "LoadBalancer"}


def api_error(e: Exception) -> ProviderError:
    """Korean ProviderError; server errors and lost connections are worth a retry.

    The student sees the message: it says what happened, never the cluster's internal
    address or the client's exception text (both go to the worker's log).
    """
    log.warning("kubernetes API call failed: %s", e)
    if isinstance(e, ApiException):
        transient = e.status in (0, 429, 500, 502, 503, 504)
        if transient:
            return ProviderError(
                f"쿠버네티스 API 서버가 요청을 처리하지 못했습니다(HTTP {e.status}). 잠시 후 다시 시도합니다.",
                transient=True,
            )
        return ProviderError(f"쿠버네티스 API 서버가 요청을 거절했습니다(HTTP {e.status}).")
    return ProviderError(
        "쿠버네티스 API 서버에 연결할 수 없습니다. 클러스터가 다시 시작되는 중일 수 있습니다.", transient=True
    )


class NamespaceProvider(Provider):
    name = "namespace"
    label = "공유 클러스터의 네임스페이스"
    scopes = ("namespace",)

    # The shared cluster's own nodes decide here (the other providers fix it as a class
    # attribute): a kind cluster or a real one given by LAB_CLUSTER_KUBECONFIG runs
    # containers, the local kwok cluster does not, whatever LAB_SHARED_CLUSTER says. Only
    # when the cluster cannot be asked does the setting stand in (provisioning then says
    # the cluster is down anyway).
    @property
    def containers(self) -> bool:  # type: ignore[override]
        from labs.cluster import ClusterError
        from labs.cluster.runtime import runs_containers

        try:
            answer = runs_containers(self._admin_path())
        except ClusterError:  # the shared cluster is not running
            answer = None
        return settings.LAB_SHARED_CLUSTER == "kind" if answer is None else answer

    def _admin_path(self):
        from labs.cluster import shared_kubeconfig

        return shared_kubeconfig()

    def _admin(self) -> client.ApiClient:
        return admin_client(self._admin_path())

    def available(self):
        try:
            path = self._admin_path()
        except Exception as e:  # ClusterError carries a Korean message
            return False, str(e)
        if not path.exists():
            return False, f"클러스터 kubeconfig 파일이 없습니다: {path}"
        return True, f"공유 클러스터 사용 ({cluster_entry(path)['server']})"

    def health(self) -> bool:
        try:
            client.VersionApi(self._admin()).get_code(_request_timeout=3)
            return True
        except Exception:
            return False

    def create(self, session, progress) -> Sandbox:
        from labs.cluster import ClusterError

        try:
            return self._create(session, progress)
        except ProviderError:
            raise
        except ClusterError as e:  # the shared cluster is not running (yet)
            raise ProviderError(str(e), transient=True) from e
        except (ApiException, HTTPError, OSError) as e:
            raise api_error(e) from e

    def _create(self, session, progress) -> Sandbox:
        api = self._admin()
        core, rbac, net = (
            client.CoreV1Api(api),
            client.RbacAuthorizationV1Api(api),
            client.NetworkingV1Api(api),
        )
        ns = identity.namespace_name(session)
        labels = identity.labels(session)
        ns_labels = dict(labels)
        if settings.LAB_POD_SECURITY:
            ns_labels["pod-security.kubernetes.io/enforce"] = settings.LAB_POD_SECURITY
        types = service_types(session.lab)
        if "NodePort" in types:
            ns_labels[guard.ALLOW_NODEPORT] = "true"
        if "LoadBalancer" in types:
            ns_labels[guard.ALLOW_LOADBALANCER] = "true"
        # Before any sandbox exists: a namespace is never handed out unguarded.
        unconfirmed = guard.ensure(api)
        meta = client.V1ObjectMeta(name=ns, labels=ns_labels)

        progress("sandbox")
        created = ok_if_exists(core.create_namespace, client.V1Namespace(metadata=meta))
        if created is None:
            existing = core.read_namespace(ns)
            if existing.metadata.deletion_timestamp:
                raise ProviderError(
                    "이전 실습 환경을 정리하는 중입니다. 잠시 후 다시 시도합니다.", transient=True
                )
            if (existing.metadata.labels or {}).get(identity.SESSION_LABEL) != str(session.pk):
                raise ProviderError(f"네임스페이스 {ns}가 이미 다른 용도로 쓰이고 있습니다.")

        # The objects inside the namespace do not depend on each other: create them at
        # once (one round trip of latency instead of six); the token needs only the account.
        progress("rbac")
        steps = [
            lambda: self._account(core, ns, labels),
            lambda: self._role(rbac, ns, labels),
            lambda: self._quota(core, ns, labels, types),
            lambda: self._limits(core, ns, labels),
            lambda: self._policy(net, ns, labels),
        ]
        futures = [_pool().submit(step) for step in steps]
        for future in futures:
            future.result()
        if not wait_until_allowed(api, ACCOUNT, ns, "patch", "configmaps"):
            raise ProviderError(
                "실습 환경의 권한이 아직 적용되지 않았습니다. 잠시 후 다시 시도합니다.", transient=True
            )
        progress("quota")
        kubeconfig = self._kubeconfig(session, ns)
        if unconfirmed:
            with client_from_text(kubeconfig) as student:
                guard.enforced(api, student, ns)
        return Sandbox(kubeconfig=kubeconfig, namespace=ns)

    def _account(self, core, ns, labels):
        obj = client.V1ObjectMeta(name=ACCOUNT, labels=labels)
        ok_if_exists(core.create_namespaced_service_account, ns, client.V1ServiceAccount(metadata=obj))

    def _role(self, rbac, ns, labels):
        rules = [client.V1PolicyRule(api_groups=[g], resources=r, verbs=v) for g, r, v in RULES]
        role = client.V1Role(metadata=client.V1ObjectMeta(name=ROLE, labels=labels), rules=rules)
        ok_if_exists(rbac.create_namespaced_role, ns, role)
        binding = client.V1RoleBinding(
            metadata=client.V1ObjectMeta(name=ROLE, labels=labels),
            role_ref=client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=ROLE),
            subjects=[client.RbacV1Subject(kind="ServiceAccount", name=ACCOUNT, namespace=ns)],
        )
        ok_if_exists(rbac.create_namespaced_role_binding, ns, binding)

    def _quota(self, core, ns, labels, types=()):
        hard = dict(settings.LAB_QUOTA)
        if "LoadBalancer" in types:
            hard["services.loadbalancers"] = hard.get("services.nodeports", "2")
        quota = client.V1ResourceQuota(
            metadata=client.V1ObjectMeta(name="kubaeum-quota", labels=labels),
            spec=client.V1ResourceQuotaSpec(hard=hard),
        )
        if ok_if_exists(core.create_namespaced_resource_quota, ns, quota) is not None:
            # The namespace is empty, so "nothing used" is exact: writing the status now
            # enforces the quota at once instead of after the quota controller's first sync.
            status = {"status": {"hard": hard, "used": {k: "0" for k in hard}}}
            core.patch_namespaced_resource_quota_status("kubaeum-quota", ns, status)

    def _limits(self, core, ns, labels):
        limits = client.V1LimitRange(
            metadata=client.V1ObjectMeta(name="kubaeum-limits", labels=labels),
            spec=client.V1LimitRangeSpec(
                limits=[client.V1LimitRangeItem(type="Container", **LIMIT_DEFAULTS)]
            ),
        )
        ok_if_exists(core.create_namespaced_limit_range, ns, limits)

    def _policy(self, net, ns, labels):
        policy = client.V1NetworkPolicy(
            metadata=client.V1ObjectMeta(name="kubaeum-same-namespace-only", labels=labels),
            spec=client.V1NetworkPolicySpec(
                pod_selector=client.V1LabelSelector(),
                policy_types=["Ingress"],
                ingress=[
                    client.V1NetworkPolicyIngressRule(
                        _from=[client.V1NetworkPolicyPeer(pod_selector=client.V1LabelSelector())]
                    )
                ],
            ),
        )
        ok_if_exists(net.create_namespaced_network_policy, ns, policy)

    def _kubeconfig(self, session, ns: str) -> str:
        token = self._token(session, ns)
        return token_kubeconfig(cluster_entry(self._admin_path()), f"{ns}-{ACCOUNT}", token, ns)

    def _token(self, session, ns: str) -> str:
        # The token outlives the session by a little; ending the session deletes the
        # ServiceAccount, which invalidates the token at once anyway.
        until = session.expires_at or timezone.now()
        seconds = max(600, int((until - timezone.now()).total_seconds()) + 300)
        request = client.AuthenticationV1TokenRequest(
            spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=seconds)
        )
        answer = client.CoreV1Api(self._admin()).create_namespaced_service_account_token(ACCOUNT, ns, request)
        return answer.status.token

    def refresh_credentials(self, session) -> str | None:
        try:
            return self._kubeconfig(session, session.namespace)
        except (ApiException, HTTPError, OSError) as e:
            raise api_error(e) from e

    def destroy(self, session) -> None:
        self.destroy_orphan(session.namespace or identity.namespace_name(session))

    def sandboxes(self) -> dict[int, str]:
        found = {}
        for ns in client.CoreV1Api(self._admin()).list_namespace(label_selector=identity.selector()).items:
            if ns.metadata.deletion_timestamp:
                continue
            sid = (ns.metadata.labels or {}).get(identity.SESSION_LABEL, "")
            if sid.isdigit():
                found[int(sid)] = ns.metadata.name
        return found

    def destroy_orphan(self, name: str) -> None:
        try:
            client.CoreV1Api(self._admin()).delete_namespace(name, propagation_policy="Background")
        except ApiException as e:
            if e.status != 404:
                raise api_error(e) from e
        except (HTTPError, OSError) as e:
            raise api_error(e) from e


PRELOAD = [
    "CoreV1Api", "RbacAuthorizationV1Api", "AdmissionregistrationV1Api", "NetworkingV1Api", "VersionApi", "V1Namespace", "V1ServiceAccount",
    "V1Role", "V1RoleBinding", "V1ResourceQuota", "V1LimitRange", "V1NetworkPolicy", "AuthenticationV1TokenRequest",
    "V1TokenRequestSpec", "V1Status", "V1PodList", "V1ConfigMap", "V1ConfigMapList",
]  # fmt: skip


def preload() -> None:
    """Import the client classes provisioning uses (kubernetes 37 builds its pydantic
    models lazily: about 2 s on first use). Called once per worker before it forks."""
    import kubernetes.dynamic  # noqa: F401  setup objects are applied through it

    for name in PRELOAD:
        getattr(client, name)
