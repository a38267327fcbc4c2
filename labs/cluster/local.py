"""LocalCluster: the upstream control plane plus kwok, run by kwokctl's binary runtime.

kwokctl starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the
kwok controller as plain processes from the binaries k8s/build.sh built (no download:
every binary is a local path), generates the certificates and the admin kubeconfig, and
picks free ports. We add: one config per cluster, loopback-only binding, a lock so that
concurrent starts never pick the same ports, nodes, and a real readiness wait.
"""

import fcntl
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from .binaries import binary, kubectl_path


class ClusterError(RuntimeError):
    """A Korean message fit for an operator or a student."""


@dataclass
class ComponentStatus:
    name: str
    pid: int | None
    running: bool
    healthy: bool
    detail: str = ""


HEALTH_PATHS = {"etcd": "/health", "kube-apiserver": "/readyz"}


class LocalCluster:
    def __init__(self, name: str, workdir: Path | None = None, nodes: int = 2):
        self.name = name
        # kwokctl keeps every cluster under $KWOK_WORKDIR/clusters/<name>.
        self.root = Path(workdir) if workdir else Path(settings.KUBAEUM_STATE_DIR) / "kwok"
        self.nodes = nodes

    # --- where things are -------------------------------------------------------------
    @property
    def dir(self) -> Path:
        return self.root / "clusters" / self.name

    @property
    def kubeconfig(self) -> Path:
        return self.dir / "kubeconfig.yaml"

    @property
    def logs_dir(self) -> Path:
        return self.dir / "logs"

    @property
    def server(self) -> str:
        data = yaml.safe_load(self.kubeconfig.read_text())
        return data["clusters"][0]["cluster"]["server"]

    # --- lifecycle --------------------------------------------------------------------
    def start(self, timeout: float = 90) -> "LocalCluster":
        """Start (or reuse, when already healthy) and wait until truly usable."""
        if self.is_running():
            self.wait_usable(timeout)
            return self
        with self._create_lock():
            if self.dir.exists():
                self._delete(quiet=True)  # a stale cluster from a crash: start clean
            self.root.mkdir(parents=True, exist_ok=True)
            config = self.root / f"{self.name}.kwokctl.yaml"
            config.write_text(json.dumps(self._config()))
            create = ("create", "cluster", "--name", self.name, "--config", str(config),
                      "--kubeconfig", "", "--wait", f"{int(timeout)}s")  # fmt: skip
            try:
                self._kwokctl(*create, timeout=timeout + 10)
            except ClusterError:
                # Another program may have taken a probed port before our bind: clean
                # up and try once more with freshly probed ports.
                self._delete(quiet=True)
                self._kwokctl(*create, timeout=timeout + 10)
        if self.nodes:
            self._kwokctl("scale", "node", "--name", self.name, "--replicas", str(self.nodes), timeout=60)
        self.wait_usable(timeout)
        return self

    def stop(self) -> None:
        """Stop every process and remove the cluster's files; safe to call twice."""
        if not self.dir.exists():
            return
        pids = self.pids()
        self._delete(quiet=True)
        for pid in pids.values():
            _kill(pid)
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.root / f"{self.name}.kwokctl.yaml").unlink(missing_ok=True)

    def _delete(self, quiet: bool) -> None:
        try:
            self._kwokctl("delete", "cluster", "--name", self.name, timeout=60)
        except ClusterError:
            if not quiet:
                raise

    def wait_usable(self, timeout: float = 90) -> None:
        """/readyz ok, the default ServiceAccount exists, and enough nodes are Ready."""
        from kubernetes import client as k8s

        from .access import api_client

        deadline = time.monotonic() + timeout
        problem = "시작 대기 중"
        while time.monotonic() < deadline:
            try:
                with api_client(self.kubeconfig) as api:
                    readyz = api.call_api("GET", api.configuration.host + "/readyz", _request_timeout=3)
                    if readyz.status != 200:
                        raise ClusterError("readyz")
                    core = k8s.CoreV1Api(api)
                    core.read_namespaced_service_account("default", "default", _request_timeout=3)
                    ready = [n for n in core.list_node(_request_timeout=3).items if _node_ready(n)]
                    if len(ready) >= self.nodes:
                        return
                    problem = f"Ready 노드 {len(ready)}/{self.nodes}"
            except Exception as exc:  # not up yet: connection refused, 404, 503 ...
                problem = f"{exc.__class__.__name__}: {str(exc)[:120]}"
            time.sleep(0.1)
        raise ClusterError(
            f"로컬 클러스터 '{self.name}'가 {timeout:.0f}초 안에 준비되지 않았습니다 ({problem}). 로그: {self.logs_dir}"
        )

    # --- inspection -------------------------------------------------------------------
    def pids(self) -> dict[str, int]:
        found = {}
        for pidfile in sorted((self.dir / "pids").glob("*.pid")):
            try:
                found[pidfile.stem] = int(pidfile.read_text().strip())
            except ValueError:
                continue
        return found

    def is_running(self) -> bool:
        pids = self.pids()
        return bool(pids) and all(_alive(pid) for pid in pids.values()) and self.kubeconfig.exists()

    def status(self) -> list[ComponentStatus]:
        pids = self.pids()
        endpoints = self._health_endpoints()
        result = []
        for name in (
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kwok-controller",
        ):
            pid = pids.get(name)
            running = pid is not None and _alive(pid)
            healthy, detail = False, "실행 중이 아님"
            if running:
                healthy, detail = _probe(endpoints.get(name), self.dir / "pki")
            result.append(ComponentStatus(name, pid, running, healthy, detail))
        return result

    def resident_memory_bytes(self) -> int:
        total = 0
        for pid in self.pids().values():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    # --- internals --------------------------------------------------------------------
    def _config(self) -> dict:
        return {
            "apiVersion": "config.kwok.x-k8s.io/v1alpha1",
            "kind": "KwokctlConfiguration",
            "options": {
                "runtime": "binary",
                # Loopback only: a classroom machine must not expose its API server.
                "bindAddress": "127.0.0.1",
                "disableQPSLimits": True,
                "etcdBinary": str(binary("etcd")),
                "kubeApiserverBinary": str(binary("kube-apiserver")),
                "kubeControllerManagerBinary": str(binary("kube-controller-manager")),
                "kubeSchedulerBinary": str(binary("kube-scheduler")),
                "kwokControllerBinary": str(binary("kwok")),
                "kubectlBinary": kubectl_path(),
            },
            "componentsPatches": [
                # A lab cluster holds little; a lower GC target keeps the whole control
                # plane well under the 600 MB budget at a small CPU cost.
                {"name": name, "extraEnvs": [{"name": "GOGC", "value": "50"}]}
                for name in (
                    "kube-apiserver",
                    "kube-controller-manager",
                    "kube-scheduler",
                    "kwok-controller",
                    "etcd",
                )
            ],
        }

    def _kwokctl(self, *args: str, timeout: float) -> str:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "KWOK_WORKDIR": str(self.root),
        }
        try:
            done = subprocess.run(
                [str(binary("kwokctl")), *args], env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise ClusterError(
                f"kwokctl {' '.join(args[:2])}가 {timeout:.0f}초 안에 끝나지 않았습니다."
            ) from None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise ClusterError(f"kwokctl {' '.join(args[:2])} 실패: {' / '.join(tail)}")
        return done.stdout

    @contextmanager
    def _create_lock(self):
        # kwokctl picks "unused" ports by probing; two creations at once (a warm pool, two
        # test runs) could pick the same ones. One machine-wide lock serialises creation
        # until the new cluster is listening; running clusters are not affected.
        self.root.mkdir(parents=True, exist_ok=True)
        with open(Path(tempfile.gettempdir()) / "kubaeum-kwokctl-create.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _health_endpoints(self) -> dict[str, str]:
        try:
            docs = list(yaml.safe_load_all((self.dir / "kwok.yaml").read_text()))
        except (OSError, yaml.YAMLError):
            return {}
        endpoints = {}
        for doc in docs:
            for comp in (doc or {}).get("components", []) or []:
                metric = comp.get("metric") or {}
                if metric.get("host"):
                    path = HEALTH_PATHS.get(comp["name"], "/healthz")
                    endpoints[comp["name"]] = f"{metric.get('scheme', 'http')}://{metric['host']}{path}"
        return endpoints


def _node_ready(node) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in (node.status.conditions or []))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _kill(pid: int, grace: float = 5) -> None:
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _probe(url: str | None, pki: Path) -> tuple[bool, str]:
    if not url:
        return True, "프로세스 실행 중 (상태 엔드포인트 없음)"
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # self-signed, loopback only, status probe only
    request = urllib.request.Request(url)
    if url.startswith("https") and (pki / "admin.crt").exists():
        context.load_cert_chain(pki / "admin.crt", pki / "admin.key")
    try:
        with urllib.request.urlopen(
            request, timeout=2, context=context if url.startswith("https") else None
        ) as r:
            return r.status == 200, f"{url} → {r.status}"
    except Exception as exc:
        return False, f"{url} → {exc.__class__.__name__}"
