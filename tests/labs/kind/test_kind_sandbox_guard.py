"""A dedicated kind sandbox with the kubeconfig its session gets: the node is a privileged
container on the host's Docker engine, so the student must not run privileged or host-level
pods, nor touch kube-system (kube-proxy runs privileged there) or local-path-storage; their
own pods, logs, exec, Services, Jobs and PVCs keep working. Real Docker, real kind."""

import subprocess
import time
import uuid

import pytest
import yaml
from kubernetes import client as k8s
from kubernetes.client.exceptions import ApiException

from labs.cluster import api_client
from labs.cluster.binaries import kubectl_path
from labs.models import Lab, LabSession
from labs.providers import get_provider, pool
from labs.providers.cluster_access import POD_POLICY, STUDENT, SYSTEM_POLICY, VOLUME_POLICY
from labs.providers.kind import GUARDED, workdir
from labs.sandbox.kubeconfig import client_from_text

pytestmark = [pytest.mark.kind, pytest.mark.django_db]
BUSYBOX = "kubaeum/busybox:1.35"


def sandbox_of_a_session(kind_cluster, student, slug: str):
    """What the kind provider hands a new session whose cluster is the test cluster: claimed
    for the session the way a warm pool cluster is, and released again at once."""
    lab = Lab.objects.create(slug=slug, title=slug, scope="cluster", time_limit_minutes=60, containers=True)
    session = LabSession.objects.create(user=student, lab=lab, provider="kind")
    folder = workdir(kind_cluster.name)
    assert pool.claim(folder, session.pk)
    try:
        sandbox = get_provider("kind").create(session, lambda step: None)
    finally:
        (folder / pool.SESSION).unlink(missing_ok=True)
    assert sandbox.cluster_name == kind_cluster.name
    return sandbox


@pytest.fixture
def session_kubeconfig(kind_cluster, student, tmp_path):
    path = tmp_path / "kubeconfig"
    path.write_text(sandbox_of_a_session(kind_cluster, student, "guard").kubeconfig)
    return path


@pytest.fixture
def student_api(session_kubeconfig):
    with client_from_text(session_kubeconfig.read_text()) as api:
        yield api


@pytest.fixture
def student_namespace(student_api, kind_api):
    """A namespace the student makes themselves (allowed), deleted afterwards."""
    name = f"g-{uuid.uuid4().hex[:8]}"
    core = k8s.CoreV1Api(student_api)
    core.create_namespace({"metadata": {"name": name}})
    # Until its controller makes the `default` ServiceAccount, pods are refused for that.
    deadline = time.monotonic() + 60
    while not core.list_namespaced_service_account(name, field_selector="metadata.name=default").items:
        assert time.monotonic() < deadline, "no default ServiceAccount after 60 s"
        time.sleep(0.2)
    yield name
    k8s.CoreV1Api(kind_api).delete_namespace(name)


def kubectl(kubeconfig, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [kubectl_path(), f"--kubeconfig={kubeconfig}", *args], capture_output=True, text=True, timeout=timeout
    )


def pod(name: str, **spec) -> dict:
    container = {"name": "c", "image": BUSYBOX, "command": ["sleep", "3600"]}
    container.update(spec.pop("container", {}))
    return {"metadata": {"name": name}, "spec": {"containers": [container], **spec}}


def refused(call, policy: str) -> str:
    with pytest.raises(ApiException) as caught:
        call()
    assert caught.value.status == 403, caught.value.body
    assert policy in caught.value.body
    return caught.value.body


def test_a_kind_session_gets_the_restricted_student_account_not_the_cluster_admin(session_kubeconfig):
    doc = yaml.safe_load(session_kubeconfig.read_text())
    assert [set(u["user"]) for u in doc["users"]] == [{"token"}]  # no client certificate
    with api_client(session_kubeconfig) as api:
        review = k8s.AuthenticationV1Api(api).create_self_subject_review({})
    assert review.status.user_info.username == STUDENT
    assert "kubeadm:cluster-admins" not in review.status.user_info.groups
    assert "system:masters" not in review.status.user_info.groups


HOST_LEVEL_PODS = {
    "privileged": ({"container": {"securityContext": {"privileged": True}}}, "특권(privileged)"),
    "hostPath /": (
        {
            "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
            "container": {"volumeMounts": [{"name": "root", "mountPath": "/host"}]},
        },
        "hostPath 볼륨",
    ),
    "hostNetwork": ({"hostNetwork": True}, "hostNetwork"),
    "hostPID": ({"hostPID": True}, "hostPID"),
    "hostIPC": ({"hostIPC": True}, "hostIPC"),
    "hostPort": ({"container": {"ports": [{"containerPort": 80, "hostPort": 8080}]}}, "hostPort"),
    "SYS_ADMIN": ({"container": {"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}}, "캐퍼빌리티"),
    "unsafe sysctl": (
        {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}},
        "sysctl",
    ),
    "unconfined seccomp": (
        {"container": {"securityContext": {"seccompProfile": {"type": "Unconfined"}}}},
        "seccomp",
    ),
    "probe host": (
        {"container": {"livenessProbe": {"httpGet": {"host": "172.30.0.1", "port": 80, "path": "/"}}}},
        "프로브",
    ),
}


@pytest.mark.parametrize("case", HOST_LEVEL_PODS, ids=list(HOST_LEVEL_PODS))
def test_a_host_level_pod_from_a_kind_session_is_refused_with_a_korean_reason(
    case, student_api, student_namespace
):
    spec, words = HOST_LEVEL_PODS[case]
    core = k8s.CoreV1Api(student_api)
    body = refused(lambda: core.create_namespaced_pod(student_namespace, pod("escape", **spec)), POD_POLICY)
    assert words in body
    # The same pod in the default namespace, or in a namespace labelled privileged, too.
    refused(lambda: core.create_namespaced_pod("default", pod("escape", **spec)), POD_POLICY)
    labels = {"pod-security.kubernetes.io/enforce": "privileged"}
    core.patch_namespace(student_namespace, {"metadata": {"labels": labels}})
    refused(lambda: core.create_namespaced_pod(student_namespace, pod("escape", **spec)), POD_POLICY)


def test_a_deployment_with_a_privileged_template_gets_no_pod(student_api, student_namespace, kind_api):
    template = pod("x", container={"securityContext": {"privileged": True}})
    template["metadata"] = {"labels": {"app": "x"}}
    deployment = {
        "metadata": {"name": "x"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "x"}}, "template": template},
    }
    k8s.AppsV1Api(student_api).create_namespaced_deployment(student_namespace, deployment)
    core = k8s.CoreV1Api(kind_api)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        events = core.list_namespaced_event(student_namespace, field_selector="reason=FailedCreate").items
        if any(POD_POLICY in (e.message or "") for e in events):
            break
        time.sleep(1)
    else:
        pytest.fail("the ReplicaSet's pod was not refused within 60 s")
    assert core.list_namespaced_pod(student_namespace).items == []


def test_kubectl_debug_with_the_sysadmin_profile_is_refused_on_the_node_and_on_a_pod(
    session_kubeconfig, student_api, student_namespace
):
    node = k8s.CoreV1Api(student_api).list_node().items[0].metadata.name
    done = kubectl(
        session_kubeconfig, "debug", f"node/{node}", "--profile=sysadmin", f"--image={BUSYBOX}", "--", "true"
    )
    assert done.returncode != 0 and POD_POLICY in done.stderr, done.stderr
    k8s.CoreV1Api(student_api).create_namespaced_pod(student_namespace, pod("mine"))
    args = [
        "-n",
        student_namespace,
        "debug",
        "mine",
        "--profile=sysadmin",
        f"--image={BUSYBOX}",
        "--",
        "true",
    ]
    done = kubectl(session_kubeconfig, *args)
    assert done.returncode != 0 and POD_POLICY in done.stderr, done.stderr


def test_kube_system_and_local_path_storage_can_be_read_but_not_changed_or_exec_d_into(
    session_kubeconfig, student_api
):
    core = k8s.CoreV1Api(student_api)
    proxy = (
        core.list_namespaced_pod("kube-system", label_selector="k8s-app=kube-proxy").items[0].metadata.name
    )
    assert core.read_namespaced_pod_log(proxy, "kube-system", tail_lines=1) is not None
    for namespace in ("kube-system", "local-path-storage"):
        cm = {"metadata": {"name": "x"}}
        refused(lambda ns=namespace, cm=cm: core.create_namespaced_config_map(ns, cm), SYSTEM_POLICY)
        refused(lambda ns=namespace: core.create_namespaced_pod(ns, pod("x")), SYSTEM_POLICY)
    refused(lambda: core.delete_namespaced_pod(proxy, "kube-system"), SYSTEM_POLICY)
    refused(
        lambda: core.patch_namespace("local-path-storage", {"metadata": {"labels": {"a": "b"}}}),
        SYSTEM_POLICY,
    )
    for verb in (["exec", proxy, "--", "id"], ["port-forward", proxy, "10249:10249"]):
        done = kubectl(session_kubeconfig, "-n", "kube-system", *verb, timeout=30)
        assert done.returncode != 0 and SYSTEM_POLICY in done.stderr, done.stderr
        assert "kube-system과 local-path-storage" in done.stderr
    # The kubelet's own API (it runs commands in any pod) is not the student's either.
    node = core.list_node().items[0].metadata.name
    with pytest.raises(ApiException) as caught:
        core.connect_get_node_proxy_with_path(node, "pods")
    assert caught.value.status == 403
    # kubeadm's bootstrap token would let a reader of kube-system Secrets join a node of their own.
    assert core.list_namespaced_secret("kube-system").items == []


def test_host_path_volumes_cannot_come_in_through_a_persistent_volume_or_a_storage_class(student_api):
    spec = {"capacity": {"storage": "1Mi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/"}}
    core = k8s.CoreV1Api(student_api)
    body = refused(
        lambda: core.create_persistent_volume({"metadata": {"name": "root"}, "spec": spec}), VOLUME_POLICY
    )
    assert "퍼시스턴트볼륨" in body
    storage = k8s.StorageV1Api(student_api)
    for parameters in ({"pathPattern": "../../etc/kubernetes/manifests"}, {"nodePath": "/"}):
        sc = {"metadata": {"name": "evil"}, "provisioner": "rancher.io/local-path", "parameters": parameters}
        refused(lambda sc=sc: storage.create_storage_class(sc), VOLUME_POLICY)


def test_the_students_own_pods_logs_exec_services_jobs_and_volumes_keep_working(
    session_kubeconfig, student_api, student_namespace
):
    core, apps, batch = k8s.CoreV1Api(student_api), k8s.AppsV1Api(student_api), k8s.BatchV1Api(student_api)
    ns = student_namespace
    claim = {
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Mi"}}},
    }
    core.create_namespaced_persistent_volume_claim(ns, claim)
    shell = pod(
        "shell",
        volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}],
        container={
            "command": ["sh", "-c", "echo hello > /d/x; echo started; sleep 3600"],
            "volumeMounts": [{"name": "d", "mountPath": "/d"}],
            "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}},  # in baseline's list
        },
    )
    core.create_namespaced_pod(ns, shell)
    labels = {"app": "web"}
    web = {
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "kubaeum/web:1.0"}]},
            },
        },
    }
    apps.create_namespaced_deployment(ns, web)
    service = {
        "metadata": {"name": "web"},
        "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": 8080}]},
    }
    core.create_namespaced_service(ns, service)
    job = {
        "metadata": {"name": "once"},
        "spec": {
            "backoffLimit": 0,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "c", "image": BUSYBOX, "command": ["echo", "done"]}],
                }
            },
        },
    }
    batch.create_namespaced_job(ns, job)

    wait = ["-n", ns, "wait", "--timeout=180s"]
    for target in (["--for=condition=Ready", "pod/shell"], ["--for=condition=Available", "deployment/web"]):
        done = kubectl(session_kubeconfig, *wait, *target, timeout=200)
        assert done.returncode == 0, done.stderr
    done = kubectl(session_kubeconfig, *wait, "--for=condition=Complete", "job/once", timeout=200)
    assert done.returncode == 0, done.stderr
    assert core.read_namespaced_persistent_volume_claim("data", ns).status.phase == "Bound"
    assert "started" in core.read_namespaced_pod_log("shell", ns)
    done = kubectl(session_kubeconfig, "-n", ns, "exec", "shell", "--", "cat", "/d/x")
    assert done.returncode == 0 and done.stdout.strip() == "hello", done.stderr
    answer = core.connect_get_namespaced_service_proxy_with_path("web:80", ns, "")
    assert "kubaeum-web 1.0" in answer
    assert "done" in kubectl(session_kubeconfig, "-n", ns, "logs", "job/once").stdout


def test_a_cluster_made_before_the_guards_gets_them_when_a_session_claims_it(kind_cluster, kind_api, student):
    admission = k8s.AdmissionregistrationV1Api(kind_api)
    admission.delete_validating_admission_policy_binding(POD_POLICY)
    admission.delete_validating_admission_policy(POD_POLICY)
    (workdir(kind_cluster.name) / GUARDED).unlink()
    sandbox = sandbox_of_a_session(kind_cluster, student, "old")
    assert (workdir(kind_cluster.name) / GUARDED).exists()
    with client_from_text(sandbox.kubeconfig) as api:
        core = k8s.CoreV1Api(api)
        spec = {"container": {"securityContext": {"privileged": True}}}
        refused(
            lambda: core.create_namespaced_pod("default", pod("escape", **spec), dry_run="All"), POD_POLICY
        )
