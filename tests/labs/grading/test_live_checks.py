"""Every built-in check type, passing and failing, against the real local cluster."""

import time
import uuid

import pytest
from kubernetes import client as k8s

from labs.cluster.apply import apply_manifests
from labs.grading.engine import grade, run_check
from labs.grading.manifests import parse_manifests
from labs.grading.sources import LiveSource
from tests.labs.definitions import stored_check, stored_step, typed_check, typed_spec

pytestmark = pytest.mark.cluster

WORLD = """
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {MODE: prod, app.conf: "a=1"}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {PASSWORD: pw}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 80}]
          env:
            - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: MODE}}}
          envFrom:
            - secretRef: {name: sec}
          volumeMounts: [{name: conf, mountPath: /etc/app}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 300m, memory: 128Mi}
      volumes:
        - {name: conf, configMap: {name: cfg}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: lonely}
spec:
  selector: {app: nobody}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {app: solo}}
spec:
  containers: [{name: main, image: registry.k8s.io/pause:3.10}]
"""


def _wait(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("cluster did not settle")


@pytest.fixture(scope="module")
def world(admin_api):
    """One namespace with a Deployment rolled out twice, Services, a ConfigMap, a Secret, a Pod."""
    name = f"chk-{uuid.uuid4().hex[:8]}"
    core = k8s.CoreV1Api(admin_api)
    core.create_namespace(k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name=name)))
    manifests = parse_manifests(WORLD)
    apply_manifests(admin_api, manifests, namespace=name)

    def settled(revision):
        src = LiveSource(admin_api, name)
        dep = src.get("Deployment", "web")
        st = dep.get("status") or {}
        rev = int(dep["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", 0))
        slices = [
            s
            for s in src.list("EndpointSlice")
            if s["metadata"]["labels"].get("kubernetes.io/service-name") == "web"
        ]
        ready_eps = sum(1 for s in slices for e in s.get("endpoints") or [] if e["conditions"].get("ready"))
        return (
            rev == revision
            and st.get("availableReplicas") == 3
            and st.get("updatedReplicas") == 3
            and st.get("replicas") == 3
            and ready_eps == 3
        )

    _wait(lambda: settled(1))
    manifests[2]["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    apply_manifests(admin_api, [manifests[2]], namespace=name)
    _wait(lambda: settled(2))
    _wait(lambda: LiveSource(admin_api, name).get("Pod", "solo").get("status", {}).get("phase") == "Running")
    yield admin_api, name
    core.delete_namespace(name)


def check(world, **spec):
    api, ns = world
    spec.setdefault("id", "c")
    return run_check(typed_check(**spec), LiveSource(api, ns))


CASES: list[tuple[dict, dict, str]] = [
    # (spec that passes, spec that fails, text expected in the failure detail)
    (
        {"type": "exists", "kind": "Deployment", "name": "web"},
        {"type": "exists", "kind": "Deployment", "name": "api"},
        "기대한 값 있음, 실제 값 없음",
    ),
    (
        {"type": "absent", "kind": "Pod", "name": "ghost"},
        {"type": "absent", "kind": "Pod", "name": "solo"},
        "기대한 값 없음, 실제 값 있음",
    ),
    (
        {"type": "field", "kind": "Deployment", "name": "web", "path": "spec.replicas", "value": 3},
        {"type": "field", "kind": "Deployment", "name": "web", "path": "spec.replicas", "value": 5},
        "레플리카 수: 기대한 값 5, 실제 값 3",
    ),
    (
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[name=web].image",
            "op": "one_of",
            "value": ["nginx:1.27", "nginx:1.28"],
        },
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[name=web].image",
            "op": "one_of",
            "value": ["nginx:1.26"],
        },
        "실제 값 nginx:1.28",
    ),
    (
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[0].image",
            "op": "regex",
            "value": "^nginx:1\\.2[0-9]$",
        },
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[0].image",
            "op": "regex",
            "value": "^httpd:",
        },
        "기대한 값 /^httpd:/ 형식",
    ),
    (
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[0].resources.limits.memory",
            "op": "gte",
            "value": "100Mi",
        },
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.template.spec.containers[0].resources.limits.memory",
            "op": "gte",
            "value": "1Gi",
        },
        "기대한 값 ≥ 1Gi, 실제 값 128Mi",
    ),
    (
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.replicas",
            "op": "lte",
            "value": 3,
        },
        {
            "type": "field",
            "kind": "Deployment",
            "name": "web",
            "path": "spec.replicas",
            "op": "lte",
            "value": 2,
        },
        "기대한 값 ≤ 2, 실제 값 3",
    ),
    (
        {
            "type": "field",
            "kind": "ConfigMap",
            "name": "cfg",
            "path": "data['app.conf']",
            "op": "contains",
            "value": "a=1",
        },
        {
            "type": "field",
            "kind": "ConfigMap",
            "name": "cfg",
            "path": "data['app.conf']",
            "op": "contains",
            "value": "b=2",
        },
        "b=2 포함",
    ),
    (
        {"type": "field", "kind": "Secret", "name": "sec", "path": "data.PASSWORD", "op": "present"},
        {"type": "field", "kind": "Secret", "name": "sec", "path": "data.TOKEN", "op": "present"},
        "실제 값 없음",
    ),
    (
        {
            "type": "field",
            "kind": "Pod",
            "selector": "app=web",
            "path": "metadata.labels.tier",
            "value": "front",
        },
        {
            "type": "field",
            "kind": "Pod",
            "selector": "app=web",
            "path": "metadata.labels.tier",
            "value": "back",
        },
        "metadata.labels.tier: 기대한 값 back, 실제 값 front",
    ),
    (
        {"type": "count", "kind": "Pod", "selector": "app=web", "equals": 3},
        {"type": "count", "kind": "Pod", "selector": "app=web", "min": 4},
        "기대한 값 4개 이상, 실제 값 3개",
    ),
    (
        {"type": "deployment_ready", "name": "web", "replicas": 3},
        {"type": "deployment_ready", "name": "web", "replicas": 4},
        "기대한 값 4/4, 실제 값 3/3",
    ),
    ({"type": "pod_ready", "name": "solo"}, {"type": "pod_ready", "name": "nobody"}, "실제 값 파드 없음"),
    (
        {"type": "pod_ready", "selector": "app=web", "min": 3},
        {"type": "pod_ready", "selector": "app=web", "min": 5},
        "기대한 값 5개 이상, 실제 값 3개",
    ),
    (
        {"type": "service_endpoints", "name": "web", "selector": "tier=front", "min": 3},
        {"type": "service_endpoints", "name": "lonely", "min": 1},
        "기대한 값 1개 이상, 실제 값 0개",
    ),
    (
        {"type": "service_endpoints", "name": "web", "selector": "tier=front"},
        {"type": "service_endpoints", "name": "web", "selector": "tier=back"},
        "실제 값 0개",
    ),
    (
        {
            "type": "rollout",
            "name": "web",
            "min_revision": 2,
            "image": "nginx:1.28",
            "history": ["nginx:1.27", "nginx:1.28"],
        },
        {"type": "rollout", "name": "web", "min_revision": 3},
        "리비전: 기대한 값 3 이상, 실제 값 2",
    ),
    (
        {"type": "rollout", "name": "web", "history": ["nginx:1.27"]},
        {"type": "rollout", "name": "web", "history": ["nginx:1.26"]},
        "이미지 이력: 기대한 값 nginx:1.26, 실제 값 nginx:1.27, nginx:1.28",
    ),
    (
        {
            "type": "env_from",
            "name": "web",
            "source": "configmap",
            "source_name": "cfg",
            "key": "MODE",
            "env": "MODE",
        },
        {"type": "env_from", "name": "web", "source": "configmap", "source_name": "other"},
        "컨피그맵 'other'",
    ),
    (
        {
            "type": "env_from",
            "name": "web",
            "source": "secret",
            "source_name": "sec",
            "key": "PASSWORD",
            "env": "PASSWORD",
        },
        {"type": "env_from", "name": "web", "source": "secret", "source_name": "cfg"},
        "시크릿 'cfg'",
    ),
    (
        {
            "type": "volume_from",
            "name": "web",
            "source": "configmap",
            "source_name": "cfg",
            "mount_path": "/etc/app",
        },
        {
            "type": "volume_from",
            "name": "web",
            "source": "configmap",
            "source_name": "cfg",
            "mount_path": "/srv",
        },
        "실제 값 /etc/app",
    ),
    (
        {
            "type": "resources",
            "name": "web",
            "requests": ["cpu", "memory"],
            "limits": ["cpu", "memory"],
            "max": {"limits.cpu": "500m"},
        },
        {"type": "resources", "name": "web", "max": {"limits.cpu": "200m"}},
        "resources.limits.cpu: 기대한 값 ≤ 200m, 실제 값 300m",
    ),
    (
        {"type": "service_port", "name": "web", "port": 80},
        {"type": "service_port", "name": "lonely", "port": 80},
        "셀렉터 app=nobody에 맞는 파드나 파드 템플릿 없음",
    ),
]


@pytest.mark.parametrize(
    ("passing", "failing", "detail"), CASES, ids=[f"{c[0]['type']}-{i}" for i, c in enumerate(CASES)]
)
def test_check_type_passes_on_matching_state_and_explains_a_failure(world, passing, failing, detail):
    ok = check(world, **passing)
    assert ok.passed, ok.detail
    bad = check(world, **failing)
    assert not bad.passed
    assert detail in bad.detail, bad.detail


def test_a_namespace_source_never_reads_outside_its_namespace(world, admin_api):
    api, ns = world
    source = LiveSource(api, ns)
    # Asking for kube-system is ignored: the sandbox namespace is the whole world.
    assert source.get("ConfigMap", "cfg", namespace="kube-system") is not None
    assert source.get("ConfigMap", "extension-apiserver-authentication", namespace="kube-system") is None


def test_a_six_check_grading_reads_each_kind_once(world):
    api, ns = world
    spec = typed_spec(
        steps=[
            stored_step(
                checks=[
                    stored_check("a", "exists", kind="Deployment", name="web"),
                    stored_check("b", "field", kind="Deployment", name="web", path="spec.replicas", value=3),
                    stored_check("c", "deployment_ready", name="web"),
                    stored_check("d", "count", kind="Pod", selector="app=web", min=3),
                    stored_check("e", "service_endpoints", name="web"),
                    stored_check("f", "env_from", name="web", source="configmap", source_name="cfg"),
                ]
            )
        ]
    )
    source = LiveSource(api, ns)
    report = grade(spec, source)
    assert report.score == report.max_score == 6
    assert source.requests == 4  # Deployments, Pods, Services, EndpointSlices


def test_an_unreachable_api_server_fails_checks_with_a_korean_reason():
    from labs.grading.sources import LiveSource as Source

    cfg = k8s.Configuration()
    cfg.host = "https://127.0.0.1:9"
    api = k8s.ApiClient(cfg)
    outcome = run_check(typed_check("x", "exists", kind="Pod", name="a"), Source(api, "ns", timeout=1))
    assert not outcome.passed
    assert "쿠버네티스 API에 연결할 수 없습니다" in outcome.found
