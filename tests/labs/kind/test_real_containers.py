"""On a real kind cluster (real Docker, node image from `make kind`), the lab images run as
real containers: Deployments become ready and answer through a Service, logs and exec work,
a failing liveness probe restarts the container, and the crashing image loops."""

import re
import time

import pytest
from kubernetes import client as k8s
from kubernetes.stream import stream

pytestmark = pytest.mark.kind


def wait_for(check, timeout=120, interval=1.0, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


def web_deployment(name, image="kubaeum/web:1.0", args=None, liveness=None):
    container = k8s.V1Container(
        name="web",
        image=image,
        image_pull_policy="Never",  # preloaded in the node image: nothing may be pulled
        args=args or [],
        ports=[k8s.V1ContainerPort(container_port=8080)],
        readiness_probe=k8s.V1Probe(
            http_get=k8s.V1HTTPGetAction(path="/healthz", port=8080), period_seconds=1
        ),
        liveness_probe=liveness,
    )
    return k8s.V1Deployment(
        metadata=k8s.V1ObjectMeta(name=name),
        spec=k8s.V1DeploymentSpec(
            replicas=1,
            selector=k8s.V1LabelSelector(match_labels={"app": name}),
            template=k8s.V1PodTemplateSpec(
                metadata=k8s.V1ObjectMeta(labels={"app": name}),
                spec=k8s.V1PodSpec(containers=[container], termination_grace_period_seconds=1),
            ),
        ),
    )


def service_to_port_8080(name, app):
    return k8s.V1Service(
        metadata=k8s.V1ObjectMeta(name=name),
        spec=k8s.V1ServiceSpec(selector={"app": app}, ports=[k8s.V1ServicePort(port=80, target_port=8080)]),
    )


def busybox_shell_pod():
    """A pod named `shell` that idles in the busybox image, for exec."""
    container = k8s.V1Container(
        name="sh", image="kubaeum/busybox:1.35", image_pull_policy="Never", command=["sleep", "3600"]
    )
    return k8s.V1Pod(
        metadata=k8s.V1ObjectMeta(name="shell"),
        spec=k8s.V1PodSpec(termination_grace_period_seconds=1, containers=[container]),
    )


def proxied(core, namespace, service, path):
    """The Service's answer through the API server's proxy; None while it has no endpoint."""
    try:
        return core.connect_get_namespaced_service_proxy_with_path(service, namespace, path=path)
    except k8s.exceptions.ApiException as exc:
        if exc.status == 503:
            return None
        raise


def one_pod(core, namespace, app):
    pods = core.list_namespaced_pod(namespace, label_selector=f"app={app}").items
    return pods[0] if pods else None


def test_a_web_deployment_becomes_ready_and_answers_through_its_service(kind_api, kind_namespace):
    apps, core = k8s.AppsV1Api(kind_api), k8s.CoreV1Api(kind_api)
    apps.create_namespaced_deployment(kind_namespace, web_deployment("web", args=["--text=안녕하세요"]))
    core.create_namespaced_service(kind_namespace, service_to_port_8080("web", "web"))
    wait_for(
        lambda: (apps.read_namespaced_deployment("web", kind_namespace).status.ready_replicas or 0) == 1,
        what="the deployment to be ready",
    )
    pod = one_pod(core, kind_namespace, "web")
    assert pod.status.container_statuses[0].container_id.startswith("containerd://")

    # The endpoints controller publishes the ready pod a moment after the Deployment counts it.
    body = wait_for(
        lambda: proxied(core, kind_namespace, "web:80", ""),
        timeout=30,
        what="the Service to have an endpoint",
    )
    assert body.startswith(f"kubaeum-web 1.0 host={pod.metadata.name}")
    assert "안녕하세요" in body
    assert (
        core.connect_get_namespaced_service_proxy_with_path("web:80", kind_namespace, path="version") == "1.0"
    )

    # The request log of the real process, as `kubectl logs` shows it.
    log = wait_for(
        lambda: (
            (text := core.read_namespaced_pod_log(pod.metadata.name, kind_namespace))
            and "GET / 200" in text
            and text
        ),
        timeout=30,
        what="the request in the log",
    )
    assert "kubaeum-web 1.0 listening on :8080" in log
    assert "GET /version 200" in log

    # `kubectl exec … -- cat /etc/hostname` runs inside the real container.
    out = stream(
        core.connect_get_namespaced_pod_exec,
        pod.metadata.name,
        kind_namespace,
        command=["cat", "/etc/hostname"],
        stderr=True,
        stdin=False,
        stdout=True,
        tty=False,
    )
    assert out.strip() == pod.metadata.name


def test_busybox_has_a_shell_and_cluster_dns_resolves_a_service_name(kind_api, kind_namespace):
    core = k8s.CoreV1Api(kind_api)
    core.create_namespaced_service(kind_namespace, service_to_port_8080("hello", "hello"))
    core.create_namespaced_pod(kind_namespace, busybox_shell_pod())
    wait_for(
        lambda: core.read_namespaced_pod("shell", kind_namespace).status.phase == "Running",
        what="the busybox pod to run",
    )
    cluster_ip = core.read_namespaced_service("hello", kind_namespace).spec.cluster_ip

    def lookup():
        return stream(
            core.connect_get_namespaced_pod_exec,
            "shell",
            kind_namespace,
            command=["sh", "-c", f"nslookup hello.{kind_namespace}.svc.cluster.local"],
            stderr=True,
            stdin=False,
            stdout=True,
            tty=False,
        )

    assert cluster_ip in wait_for(lambda: cluster_ip in lookup() and lookup(), timeout=90, what="CoreDNS")


def test_wget_in_a_busybox_pod_gets_a_services_page_by_its_name(kind_api, kind_namespace):
    apps, core = k8s.AppsV1Api(kind_api), k8s.CoreV1Api(kind_api)
    apps.create_namespaced_deployment(kind_namespace, web_deployment("web", args=["--text=안녕하세요"]))
    core.create_namespaced_service(kind_namespace, service_to_port_8080("web", "web"))
    core.create_namespaced_pod(kind_namespace, busybox_shell_pod())
    wait_for(lambda: proxied(core, kind_namespace, "web:80", ""), what="the Service to have an endpoint")

    def shell_ready():
        # Its container Ready, not just the pod Running: on a loaded node kubelet answered
        # an exec right after "Running" with `container not found ("sh")`.
        statuses = core.read_namespaced_pod("shell", kind_namespace).status.container_statuses or []
        return bool(statuses) and statuses[0].ready

    wait_for(shell_ready, what="the busybox container to be ready")

    def run(*command):
        return stream(
            core.connect_get_namespaced_pod_exec,
            "shell",
            kind_namespace,
            command=list(command),
            stderr=True,
            stdin=False,
            stdout=True,
            tty=False,
        )

    # The short name through the pod's DNS search path, from a shell (on a fresh cluster
    # CoreDNS may need a moment more before it answers).
    page = wait_for(
        lambda: (out := run("sh", "-c", "wget -qO- http://web")).startswith("kubaeum-web") and out,
        timeout=90,
        what="CoreDNS and the Service to answer wget",
    )
    assert page.startswith("kubaeum-web 1.0 host=") and "안녕하세요" in page
    # With a timeout, the way the web console runs it (`kubectl exec shell -- wget -T 5 …`):
    # Debian's static busybox segfaults on `-T` (exit 139); the image's /bin/wget takes
    # the option out and applies it with `timeout`.
    full = f"http://web.{kind_namespace}.svc.cluster.local/version"
    assert run("wget", "-T", "5", "-qO-", full).strip() == "1.0"
    # Where nothing answers (the Service has no port 81) it fails or times out, never crashes.
    # (stdout and stderr arrive interleaved, hence the search for the status line.)
    failed = run("sh", "-c", f"/bin/wget -qT2 -O- http://web.{kind_namespace}.svc:81/; echo exit=$?")
    assert re.search(r"^exit=(1|143)$", failed, re.MULTILINE), failed
    # Inside a shell busybox runs its own applet before any file on PATH: `timeout` is the
    # way to bound a request there.
    assert run("sh", "-c", f"timeout 5 wget -qO- {full}").strip() == "1.0"


def test_a_failing_liveness_probe_restarts_the_container(kind_api, kind_namespace):
    apps, core = k8s.AppsV1Api(kind_api), k8s.CoreV1Api(kind_api)
    liveness = k8s.V1Probe(
        http_get=k8s.V1HTTPGetAction(path="/healthz", port=8080), period_seconds=1, failure_threshold=1
    )
    apps.create_namespaced_deployment(
        kind_namespace, web_deployment("sick", args=["--healthz-fail-after=3"], liveness=liveness)
    )

    def restarts():
        pod = one_pod(core, kind_namespace, "sick")
        statuses = (pod and pod.status.container_statuses) or []
        return statuses[0].restart_count if statuses else 0

    assert wait_for(lambda: restarts() >= 1, timeout=90, what="a restart") >= 1
    events = core.list_namespaced_event(kind_namespace).items
    assert any(e.reason == "Unhealthy" and "Liveness probe failed" in (e.message or "") for e in events)


def test_the_crashing_image_reaches_crash_loop_back_off_and_runs_with_app_mode(kind_api, kind_namespace):
    core = k8s.CoreV1Api(kind_api)

    def pod(name, env):
        return k8s.V1Pod(
            metadata=k8s.V1ObjectMeta(name=name),
            spec=k8s.V1PodSpec(
                termination_grace_period_seconds=1,
                containers=[
                    k8s.V1Container(
                        name="app", image="kubaeum/crashloop:1.0", image_pull_policy="Never", env=env
                    )
                ],
            ),
        )

    core.create_namespaced_pod(kind_namespace, pod("broken", []))
    core.create_namespaced_pod(kind_namespace, pod("fixed", [k8s.V1EnvVar(name="APP_MODE", value="prod")]))

    def backing_off():
        """The kubelet is in CrashLoopBackOff: restarted twice and waiting out a back-off. Between
        back-offs the status shows the last termination (`kubectl get` says Error), so the
        waiting reason is seen only part of the time; the kubelet's BackOff event stays."""
        statuses = core.read_namespaced_pod("broken", kind_namespace).status.container_statuses or []
        if not statuses or statuses[0].restart_count < 2:
            return False
        waiting = statuses[0].state.waiting
        if waiting and waiting.reason == "CrashLoopBackOff":
            return True
        events = core.list_namespaced_event(kind_namespace, field_selector="involvedObject.name=broken").items
        return any(e.reason == "BackOff" for e in events)

    assert wait_for(backing_off, timeout=120, what="CrashLoopBackOff")

    read = []

    def logs_of_a_crash():
        # The previous container's log, as `kubectl logs --previous`; while the kubelet swaps
        # containers it can briefly answer "unable to retrieve container logs".
        text = core.read_namespaced_pod_log("broken", kind_namespace, previous=True)
        read[:] = [text[-300:]]
        return text if "error: APP_MODE is not set" in text else None

    try:
        wait_for(logs_of_a_crash, timeout=90, what="the crashed container's log")
    except AssertionError as e:
        raise AssertionError(f"{e}; the last log read: {read}") from e
    wait_for(
        lambda: core.read_namespaced_pod("fixed", kind_namespace).status.phase == "Running",
        what="APP_MODE set",
    )
    assert "listening on :8080" in wait_for(
        lambda: core.read_namespaced_pod_log("fixed", kind_namespace), timeout=30, what="its log"
    )
