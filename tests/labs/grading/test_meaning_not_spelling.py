"""Checks compare meaning, not spelling: images, paths, selectors, quantities, mounts,
Services, Secrets, quotas and RBAC graded from submitted manifests (no cluster needed)."""

import pytest

from labs.grading.engine import run_check
from labs.grading.images import parse_image, same_image
from labs.grading.kinds import selector_matches
from labs.grading.sources import FileSource
from labs.spec import FileSpec
from tests.labs.definitions import stored_check, stored_step, typed_check, typed_spec

MANIFESTS = [FileSpec("app.yaml", "manifests", "")]


def check(text, **spec):
    spec.setdefault("id", "x")
    return run_check(typed_check(**spec), FileSource({"app.yaml": text}, MANIFESTS))


@pytest.mark.parametrize(
    ("found", "wanted", "same"),
    [
        ("nginx:1.27", "docker.io/library/nginx:1.27", True),
        ("index.docker.io/library/nginx:1.27", "nginx:1.27", True),
        ("docker.io/kubaeum/web:1.0", "kubaeum/web:1.0", True),
        ("kubaeum/web:1.0@sha256:" + "a" * 64, "kubaeum/web:1.0", True),
        ("kubaeum/web", "kubaeum/web:latest", True),
        ("kubaeum/web:1.1", "kubaeum/web:1.0", False),
        ("kubaeum/web@sha256:" + "a" * 64, "kubaeum/web:1.0", False),
        ("quay.io/kubaeum/web:1.0", "kubaeum/web:1.0", False),
        ("kubaeum/web:1.O", "kubaeum/web:1.0", False),
    ],
)
def test_image_references_are_compared_after_parsing(found, wanted, same):
    assert same_image(found, wanted) is same


def test_a_digest_reference_is_pinned_and_a_bare_name_means_latest():
    assert parse_image("web@sha256:" + "b" * 64).pinned
    assert str(parse_image("web")) == "web:latest" and not parse_image("web").pinned


def test_match_expressions_are_evaluated_like_the_api_server():
    sel = {
        "matchLabels": {"app": "shop"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}],
    }
    assert selector_matches(sel, {"app": "shop", "tier": "a", "x": "y"})
    assert not selector_matches(sel, {"app": "shop", "tier": "b"})
    assert selector_matches({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, {"app": "x"})
    assert not selector_matches({}, {"app": "x"}), "an empty selector selects nothing"


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: hello, labels: {app: hello}}
spec:
  containers:
    - {name: side, image: "kubaeum/busybox:1.35"}
    - name: web
      image: docker.io/kubaeum/web:1.0
      ports: [{containerPort: 9090}, {containerPort: 8080}]
"""


def test_a_field_path_passes_when_any_element_matches_and_says_what_it_found_otherwise():
    spec = {"type": "field", "kind": "Pod", "name": "hello"}
    assert check(POD, **spec, path="spec.containers[*].ports[*].containerPort", value=8080).passed
    assert check(POD, **spec, path="spec.containers[name=web].image", value="kubaeum/web:1.0").passed
    bad = check(POD, **spec, path="spec.containers[*].ports[*].containerPort", value=80)
    assert bad.detail == "컨테이너 포트: 기대한 값 80, 실제 값 9090, 8080"
    bad = check(POD, **spec, path="spec.containers[name=web].image", value="kubaeum/web:1.1")
    assert bad.detail == "이미지: 기대한 값 kubaeum/web:1.1, 실제 값 docker.io/kubaeum/web:1.0"


def test_quantities_compare_as_numbers():
    text = POD.replace("ports:", "resources: {limits: {cpu: '0.5', memory: '134217728'}}\n      ports:")
    spec = {"type": "field", "kind": "Pod", "name": "hello"}
    assert check(text, **spec, path="spec.containers[name=web].resources.limits.cpu", value="500m").passed
    assert check(text, **spec, path="spec.containers[name=web].resources.limits.memory", value="128Mi").passed
    assert not check(text, **spec, path="spec.containers[name=web].resources.limits.cpu", value="400m").passed


SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: kubaeum/web:1.0
          args: ["--port=5678"]
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: TARGET}]
"""


def test_a_service_must_reach_the_port_the_program_listens_on_not_the_declared_one():
    ok = check(SHOP.replace("TARGET", "5678"), type="service_port", name="shop", port=80)
    assert ok.passed
    declared = check(SHOP.replace("TARGET", "http"), type="service_port", name="shop", port=80)
    assert not declared.passed
    assert "targetPort http → 디플로이먼트 'shop'의 프로그램이 듣는 포트 5678" in declared.detail


def test_a_headless_service_is_not_a_cluster_ip_service():
    text = SHOP.replace("TARGET", "5678").replace(
        "  selector: {app: shop}\n  ports", "  clusterIP: None\n  selector: {app: shop}\n  ports"
    )
    bad = check(text, type="service_type", name="shop", service_type="ClusterIP")
    assert (
        bad.detail
        == "서비스 'shop'의 종류: 기대한 값 ClusterIP, 실제 값 ClusterIP (헤드리스, clusterIP: None)"
    )
    assert check(text, type="service_type", name="shop", service_type="Headless").passed


def test_a_secret_value_is_exact_including_a_trailing_newline():
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {PW: czNjcjN0LXB3Cg==}\n"
    bad = check(text, type="secret_value", name="db", key="PW", value="s3cr3t-pw")
    assert bad.detail == '시크릿 \'db\'의 키 PW: 기대한 값 "s3cr3t-pw", 실제 값 "s3cr3t-pw\\n"'
    assert check(text.replace("Cg==", ""), type="secret_value", name="db", key="PW", value="s3cr3t-pw").passed


def test_quota_names_are_read_with_their_aliases():
    text = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {count/pods: '10'}}\n"
    assert check(text, type="quota", resource="pods", equals=10).passed
    assert check(text.replace("'10'", "'20'"), type="quota", resource="pods", equals=10).detail == (
        "리소스쿼터의 pods 한도: 기대한 값 10, 실제 값 count/pods: 20"
    )


MOUNT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers: [{name: api, image: x, volumeMounts: [MOUNT]}]
      volumes: [{name: c, configMap: {name: cfg}}]
"""


@pytest.mark.parametrize(
    ("mount", "passes"),
    [
        ("{name: c, mountPath: /etc/app}", True),
        ("{name: c, mountPath: /etc/app/}", True),
        ("{name: c, mountPath: /etc/app/app.properties, subPath: app.properties}", True),
        ("{name: c, mountPath: /etc/app/app.properties}", False),
        ("{name: c, mountPath: /etc/other}", False),
    ],
)
def test_a_config_file_is_found_through_a_directory_mount_or_a_sub_path(mount, passes):
    spec = {"type": "volume_from", "name": "api", "source": "configmap", "source_name": "cfg"}
    result = check(
        MOUNT.replace("MOUNT", mount), **spec, file="/etc/app/app.properties", key="app.properties"
    )
    assert result.passed is passes, result.detail


RBAC = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: bot, namespace: team}
rules: [{apiGroups: [""], resources: [pods], verbs: VERBS}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bot, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: bot}
subjects: [{kind: ServiceAccount, name: bot, namespace: SUBJECT_NS}]
"""
READ = [{"api_group": "", "resources": ["pods"], "verbs": ["get", "list", "watch"]}]


def rbac(verbs='["get", "list"]', subject_ns="team", extra=""):
    return RBAC.replace("VERBS", verbs).replace("SUBJECT_NS", subject_ns) + extra


def test_read_only_means_the_verbs_are_a_subset_of_the_allowed_ones():
    spec = {
        "type": "python",
        "name": "role_within",
        "params": {"role": "bot", "namespace": "team", "allowed": READ},
    }
    assert check(rbac(), **spec).passed
    bad = check(rbac('["*"]'), **spec)
    assert not bad.passed and "pods:*" in bad.detail


def test_least_privilege_catches_edit_cluster_wide_and_cluster_admin_through_a_role_binding():
    spec = {
        "type": "python",
        "name": "least_privilege",
        "params": {"service_account": "bot", "namespace": "team", "allowed": READ},
    }
    assert check(rbac(), **spec).passed
    crb = "---\nkind: ClusterRoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: e}\n"
    crb += "roleRef: {kind: ClusterRole, name: edit, apiGroup: rbac.authorization.k8s.io}\n"
    crb += "subjects: [{kind: ServiceAccount, name: bot, namespace: team}]\n"
    assert "클러스터롤 edit (클러스터 전체)" in check(rbac(extra=crb), **spec).detail
    rb = crb.replace("ClusterRoleBinding", "RoleBinding").replace("{name: e}", "{name: e, namespace: team}")
    rb = rb.replace("name: edit", "name: cluster-admin")
    assert "→ 클러스터롤 cluster-admin" in check(rbac(extra=rb), **spec).detail


def test_a_binding_to_an_account_of_another_namespace_is_not_the_right_subject():
    spec = {
        "type": "python",
        "name": "binds",
        "params": {"binding": "bot", "namespace": "team", "role": "bot", "service_account": "bot"},
    }
    assert check(rbac(), **spec).passed
    assert check(rbac(subject_ns="default"), **spec).detail == (
        "롤바인딩 'bot'의 대상: 기대한 값 ServiceAccount team:bot, 실제 값 ServiceAccount default:bot"
    )


def test_a_behaviour_check_on_a_sandbox_without_real_containers_is_skipped_and_says_so():
    from labs.grading.engine import grade
    from labs.grading.sources import LiveSource

    spec = typed_spec(
        steps=[stored_step(checks=[stored_check("answers", "http_get", points=5, service="shop", port=80)])]
    )
    # No request is made: kwok runs no process, so there is nothing to ask.
    report = grade(spec, LiveSource(api_client=None, namespace="lab-1", real_containers=False))
    result = report.results[0]
    assert result.passed and result.skipped and report.score == 5
    assert result.message == "이 실습 환경은 컨테이너를 실제로 실행하지 않아 HTTP 요청 검사를 건너뛰었습니다."


def test_the_api_servers_default_bindings_for_every_user_are_not_the_students_grant():
    spec = {
        "type": "python",
        "name": "least_privilege",
        "params": {"service_account": "bot", "namespace": "team", "allowed": READ},
    }
    crb = (
        "---\nkind: ClusterRoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: basic-user"
    )
    crb += "LABELS}\nroleRef: {kind: ClusterRole, name: system:basic-user, apiGroup: rbac.authorization.k8s.io}\n"
    crb += "subjects: [{kind: Group, name: 'system:authenticated', apiGroup: rbac.authorization.k8s.io}]\n"
    default = crb.replace("LABELS", ", labels: {kubernetes.io/bootstrapping: rbac-defaults}")
    assert check(rbac(extra=default), **spec).passed
    granted = crb.replace("LABELS", "").replace("name: system:basic-user,", "name: cluster-admin,")
    assert "클러스터롤 cluster-admin (클러스터 전체)" in check(rbac(extra=granted), **spec).detail


def deployment(pod_spec: str) -> str:
    body = "".join(f"      {line}\n" for line in pod_spec.strip().splitlines())
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
        "  template:\n    metadata: {labels: {app: web}}\n    spec:\n" + body
    )


@pytest.mark.parametrize(
    ("tolerations", "passes"),
    [
        ('[{key: gpu, operator: Equal, value: "true", effect: NoSchedule}]', True),
        ('[{key: gpu, value: "true", effect: NoSchedule}]', True),  # Equal is the default
        ("[{key: gpu, operator: Exists, effect: NoSchedule}]", True),
        ("[{key: gpu, operator: Exists}]", True),  # an empty effect matches every effect
        ("[{operator: Exists}]", True),  # an empty key with Exists tolerates every taint
        ("[{key: gpu, operator: Equal, effect: NoSchedule}]", False),  # tolerates gpu= only
        ('[{key: gpu, operator: Exists, value: "true"}]', False),  # refused by the API server
        ('[{key: gpu, operator: Equal, value: "true", effect: NoExecute}]', False),
        ('[{key: GPU, operator: Equal, value: "true", effect: NoSchedule}]', False),
        ("[]", False),
    ],
)
def test_a_toleration_is_matched_against_the_taint_the_way_the_scheduler_does(tolerations, passes):
    text = deployment(f"tolerations: {tolerations}\ncontainers: [{{name: web, image: kubaeum/web:1.0}}]")
    result = check(
        text, type="tolerates", kind="Deployment", name="web", key="gpu", value="true", effect="NoSchedule"
    )
    assert result.passed is passes, result.detail


@pytest.mark.parametrize(
    ("container", "passes", "detail"),
    [
        ("args: [--port=8080]\nlivenessProbe: {httpGet: {path: /healthz, port: 8080}}", True, ""),
        (
            "args: [--port=8080]\nports: [{name: http, containerPort: 8080}]\n"
            "livenessProbe: {httpGet: {path: /healthz, port: http}}",
            True,
            "",
        ),
        # the declared port is named http, but the program listens where its args say
        (
            "args: [--port=9090]\nports: [{name: http, containerPort: 8080}]\n"
            "livenessProbe: {httpGet: {path: /healthz, port: http}}",
            False,
            "포트: 기대한 값 프로그램이 듣는 포트 9090, 실제 값 :http (= 8080)",
        ),
        (
            "livenessProbe: {httpGet: {path: /health, port: 8080}}",
            False,
            "경로: 기대한 값 /healthz, 실제 값 /health",
        ),
        # a TCP connect checks no path: not the /healthz the step asks for
        (
            "livenessProbe: {tcpSocket: {port: 8080}}",
            False,
            "기대한 값 httpGet /healthz, 실제 값 tcpSocket :8080",
        ),
        ("readinessProbe: {httpGet: {path: /healthz, port: 8080}}", False, "실제 값 없음"),
    ],
)
def test_a_probe_must_reach_the_port_the_program_listens_on_and_a_path_it_answers(container, passes, detail):
    body = "\n".join("    " + line for line in container.splitlines())
    text = deployment(f"containers:\n  - name: web\n    image: kubaeum/web:1.0\n{body}")
    result = check(
        text,
        type="probe_answers",
        kind="Deployment",
        name="web",
        container="web",
        probe="liveness",
        path="/healthz",
    )
    assert result.passed is passes, result.detail
    assert detail in result.detail


CONFIG = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, labels: {env: prod}}\ndata: {mode: worker}\n"
SECRET = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {MODE: d29ya2Vy}\n"  # worker


@pytest.mark.parametrize(
    ("env", "passes"),
    [
        ("env: [{name: APP_MODE, value: worker}]", True),
        ("env: [{name: APP_MODE, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}]", True),
        ("envFrom: [{secretRef: {name: creds}, prefix: APP_}]", True),
        (
            "envFrom: [{secretRef: {name: creds}, prefix: APP_}]\nenv: [{name: APP_MODE, value: Worker}]",
            False,
        ),
        ("env: [{name: APP_MODE, valueFrom: {configMapKeyRef: {name: missing, key: mode}}}]", False),
        ("env: [{name: APPMODE, value: worker}]", False),
    ],
)
def test_an_environment_variable_is_read_the_way_the_kubelet_builds_it(env, passes):
    body = "\n".join("    " + line for line in env.splitlines())
    text = deployment(f"containers:\n  - name: web\n    image: kubaeum/web:1.0\n{body}") + CONFIG + SECRET
    result = check(text, type="env_value", name="web", env="APP_MODE", value="worker")
    assert result.passed is passes, result.detail


def test_a_config_map_named_by_its_labels_must_exist_under_the_name_the_container_uses():
    good = deployment(
        "containers: [{name: web, image: kubaeum/web:1.0, envFrom: [{configMapRef: {name: settings}}]}]"
    )
    stale = good.replace("name: settings}", "name: settings-old}")
    spec = {"type": "env_from", "name": "web", "source": "configmap", "source_selector": {"env": "prod"}}
    assert check(good + CONFIG, **spec).passed
    result = check(stale + CONFIG, **spec)
    assert not result.passed
    assert "기대한 값 컨피그맵 (레이블 env=prod, 실제로 있는 것)" in result.detail
    assert "envFrom 컨피그맵 settings-old" in result.detail


def test_requests_above_limits_fail_as_the_api_server_would_refuse_them():
    text = deployment(
        "containers: [{name: web, image: kubaeum/web:1.0, resources: "
        "{requests: {memory: 256Mi}, limits: {memory: 128Mi}}}]"
    )
    result = check(
        text,
        type="resources",
        kind="Deployment",
        name="web",
        limits=["memory"],
        min={"limits.memory": "128Mi"},
    )
    assert not result.passed
    assert "resources.requests.memory: 기대한 값 limits.memory(128Mi) 이하, 실제 값 256Mi" in result.detail


DENY = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n"


def policy(body: str) -> str:
    return (
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n"
        + "".join(f"  {line}\n" for line in body.strip().splitlines())
    )


INGRESS = {"type": "network_allows", "direction": "ingress", "pod": {"app": "api"}, "peer": {"app": "web"}}


@pytest.mark.parametrize(
    ("rules", "peer_namespace", "port", "allowed"),
    [
        (
            "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]",
            None,
            8080,
            True,
        ),
        (
            "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]",
            "other",
            8080,
            False,
        ),
        (
            "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]",
            None,
            9090,
            False,
        ),
        (
            "ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}]}]",
            None,
            9090,
            True,
        ),
        # namespaceSelector {} as a second peer opens every pod of every namespace
        (
            "ingress: [{from: [{podSelector: {matchLabels: {app: web}}}, {namespaceSelector: {}}]}]",
            "other",
            8080,
            True,
        ),
        # both in one peer: pods labelled app=web in any namespace
        (
            "ingress: [{from: [{podSelector: {matchLabels: {app: web}}, namespaceSelector: {}}]}]",
            "other",
            8080,
            True,
        ),
        ("ingress: [{ports: [{port: 8000, endPort: 8100}]}]", "other", 8080, True),
        ("ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]", None, 8080, False),
    ],
)
def test_network_policies_are_evaluated_together_like_the_network_plugin(
    rules, peer_namespace, port, allowed
):
    text = DENY + policy(f"podSelector: {{matchLabels: {{app: api}}}}\npolicyTypes: [Ingress]\n{rules}")
    spec = {**INGRESS, "port": port, "allowed": allowed}
    if peer_namespace:
        spec["peer_namespace"] = peer_namespace
    assert check(text, **spec).passed, check(text, **spec).detail


def test_egress_is_enforced_only_when_listed_and_dns_over_tcp_is_not_dns_over_udp():
    tcp_only = policy(
        "podSelector: {matchLabels: {app: api}}\npolicyTypes: [Egress]\n"
        "egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}],"
        " ports: [{protocol: TCP, port: 53}]}]"
    )
    dns = {"type": "network_allows", "direction": "egress", "pod": {"app": "api"}, "peer": {"k8s-app": "kube-dns"},
           "peer_namespace": "kube-system", "port": 53, "allowed": True}  # fmt: skip
    assert check(tcp_only, **dns, protocol="TCP").passed
    udp = check(tcp_only, **dns, protocol="UDP")
    assert not udp.passed and "UDP 53: 기대한 값 허용, 실제 값 막힘" in udp.detail
    # without Egress in policyTypes the egress rules are not enforced: everything leaves
    ingress_only = tcp_only.replace("policyTypes: [Egress]", "policyTypes: [Ingress]")
    assert check(
        ingress_only, **{**dns, "peer": {"app": "anything"}, "peer_namespace": "x"}, protocol="UDP"
    ).passed


@pytest.mark.parametrize(
    ("line", "passes"),
    [("", True), ("storageClassName: standard", True), ("storageClassName: fast-ssd", False)],
)
def test_null_in_one_of_stands_for_a_field_left_unset(line, passes):
    text = f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: files}}\nspec: {{{line}}}\n"
    spec = {
        "type": "field",
        "kind": "PersistentVolumeClaim",
        "name": "files",
        "path": "spec.storageClassName",
    }
    result = check(text, **spec, op="one_of", value=[None, "standard"])
    assert result.passed is passes, result.detail
    if not passes:
        assert "기대한 값 설정하지 않음 또는 standard, 실제 값 fast-ssd" in result.detail


RESTRICTED_OK = (
    "securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}\n"
    "containers:\n  - name: web\n    image: kubaeum/web:1.0\n"
    "    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n"
)


@pytest.mark.parametrize(
    ("change", "violation"),
    [
        (None, None),
        (("drop: [ALL]}", "drop: [ALL], add: [NET_BIND_SERVICE]}"), None),
        (("drop: [ALL]}", "drop: [ALL], add: [SYS_ADMIN]}"), "web: capabilities.add SYS_ADMIN"),
        (
            ("allowPrivilegeEscalation: false,", "allowPrivilegeEscalation: false, privileged: true,"),
            "web: privileged: true",
        ),
        (("runAsUser: 10001", "runAsUser: 0"), "파드 runAsUser: 0"),
        (
            ("seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}"),
            "파드 seccompProfile Unconfined",
        ),
        (("containers:", "hostNetwork: true\ncontainers:"), "hostNetwork: true"),
        (("containers:", "volumes: [{name: h, hostPath: {path: /}}]\ncontainers:"), "hostPath 볼륨 h"),
    ],
)
def test_pod_security_restricted_is_checked_rule_by_rule(change, violation):
    text = RESTRICTED_OK if change is None else RESTRICTED_OK.replace(*change)
    result = check(deployment(text), type="pod_security", kind="Deployment", name="web")
    assert result.passed is (violation is None), result.detail
    if violation:
        assert violation in result.detail


@pytest.mark.parametrize(
    ("selector", "passes"),
    [
        ("{matchLabels: {app: api}}", True),
        ("{matchExpressions: [{key: app, operator: In, values: [api]}]}", True),
        ("{}", False),  # every pod of the namespace, frontend included
        ("{matchLabels: {app: frontend}}", False),
    ],
)
def test_a_network_policy_pod_selector_is_evaluated_like_any_selector(selector, passes):
    text = policy(f"podSelector: {selector}\npolicyTypes: [Ingress]")
    spec = {"type": "selects", "kind": "NetworkPolicy", "name": "p", "labels": {"app": "api"}}
    assert check(text, **spec, rejects=[{"app": "frontend"}]).passed is passes


def test_least_privilege_allows_only_the_namespaces_named_for_the_account():
    reader = {"api_group": "", "resources": ["pods"], "verbs": ["get"]}
    role = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n"
    role += "rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n"

    def binding(ns):
        return (
            f"---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: r, namespace: {ns}}}\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}\n"
            "subjects: [{kind: ServiceAccount, name: bot, namespace: monitoring}]\n"
        )

    params = {
        "service_account": "bot",
        "namespace": "monitoring",
        "namespaces": ["team-a", "team-b"],
        "allowed": [reader],
    }
    spec = {"type": "python", "name": "least_privilege", "params": params}
    assert check(role + binding("team-a") + binding("team-b"), **spec).passed
    wider = check(role + binding("team-a") + binding("kube-system"), **spec)
    assert not wider.passed and "기대한 값 team-a, team-b 네임스페이스 안에서만" in wider.detail


def test_a_program_setting_is_found_on_the_lab_image_container_when_none_is_named():
    sidecar = "{name: log, image: kubaeum/busybox:1.35}"
    text = deployment(
        f"containers: [{sidecar}, {{name: files, image: kubaeum/web:1.0, args: [--files=/data]}}]"
    )
    spec = {"type": "program_setting", "kind": "Deployment", "name": "web", "setting": "files"}
    assert check(text, **spec, value="/data").passed
    result = check(text.replace("--files=/data", "--files=/srv"), **spec, value="/data")
    assert not result.passed and "기대한 값 /data, 실제 값 /srv" in result.detail
