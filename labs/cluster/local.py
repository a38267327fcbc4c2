"""LocalCluster: the upstream control plane plus kwok, run by kwokctl's binary runtime.

kwokctl starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the
kwok controller as plain processes from the binaries k8s/build.sh built (no download:
every binary is a local path), generates the certificates and the admin kubeconfig, and
picks free ports. We add: one config per cluster, loopback-only binding, a lock so that
concurrent starts never pick the same ports, nodes, and a real readiness wait.
"""

import contextlib
import fcntl
import json
import os
import random
import shutil
import signal
import socket
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

from . import limits
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
# etcd refuses any single write larger than this, and the API server answers 413: no
# object of any kind (a ReplicaSet's pod template as much as a ConfigMap) can be bigger.
# Lab objects are a few KiB; kubectl's last-applied annotation at most doubles them.
ETCD_MAX_REQUEST_BYTES = 256 * 1024
STOPPING = ".stopping"


class LocalCluster:
    def __init__(
        self,
        name: str,
        workdir: Path | None = None,
        nodes: int = 2,
        memory_limit: int = 0,
        etcd_quota: int = 0,
    ):
        self.name = name
        # kwokctl keeps every cluster under $KWOK_WORKDIR/clusters/<name>.
        self.root = Path(workdir) if workdir else Path(settings.KUBAEUM_STATE_DIR) / "kwok"
        self.nodes = nodes
        # Bytes for all processes together (cgroup, labs/cluster/limits.py); 0 = none.
        self.memory_limit = memory_limit
        # etcd's --quota-backend-bytes: the most the cluster can store; 0 = etcd's default.
        self.etcd_quota = etcd_quota

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
        """Start (or reuse, when already healthy) and wait until truly usable.

        A cluster whose processes died (killed, host restarted) but whose certificates
        and etcd data are intact is resumed with them: sessions and their credentials
        survive. Only a cluster without data is created afresh.
        """
        if self.is_running():
            self.wait_usable(timeout)
            self._confine()
            return self
        if self.has_data():
            self.resume(timeout)
            return self
        with self._create_lock():
            if self.dir.exists():
                self._delete(quiet=True)  # half-created by a crash, no data: start clean
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
        self._confine()
        return self

    def has_data(self) -> bool:
        """Certificates, configuration and etcd data of a created cluster are all there."""
        return (
            (self.dir / "kwok.yaml").exists()
            and (self.dir / "pki" / "ca.crt").exists()
            and (self.dir / "etcd").is_dir()
            and not (self.dir / STOPPING).exists()
        )

    def resume(self, timeout: float = 90) -> None:
        """Start the components that are not running, on the existing data, certificates
        and ports (kwokctl skips the ones still running; they reconnect by themselves)."""
        with self._own_lock() as mine:
            if not mine:  # another process is restarting it right now
                self.wait_usable(timeout)
                return
            self._forget_dead_pids()
            try:
                # kwokctl waits up to 2 minutes for the API server to serve.
                self._kwokctl("start", "cluster", "--name", self.name, timeout=timeout + 60)
            except ClusterError as e:
                raise ClusterError(
                    f"클러스터 '{self.name}'를 기존 데이터로 다시 시작하지 못했습니다 ({e}). "
                    "데이터는 지우지 않았습니다. 새로 만들려면 'cluster down' 뒤에 'cluster up'을 실행하세요."
                ) from None
        self.wait_usable(timeout)
        self._confine()

    def _forget_dead_pids(self) -> None:
        """Remove the pidfile of every component that is not really running.

        kwokctl counts a component as started when its pid answers a signal, and a zombie
        does: where the host's init reaps orphans late (seconds, on some VMs), a killed API
        server stays a zombie and `kwokctl start` skips it, then waits minutes for an API
        server that never comes back."""
        for name, pid in self.pids().items():
            if not pid_alive(pid):
                (self.dir / "pids" / f"{name}.pid").unlink(missing_ok=True)

    def pause(self) -> None:
        """Stop every process, keeping data and certificates (resumed by start())."""
        with contextlib.suppress(ClusterError):
            self._kwokctl("stop", "cluster", "--name", self.name, timeout=60)
        for pid in self.pids().values():
            _kill(pid)

    def heal(self, timeout: float = 90) -> bool:
        """If any component died, restart the cluster on its data; True if it did."""
        if self.is_running() or not self.has_data():
            return False
        self.resume(timeout)
        return True

    def stop(self) -> None:
        """Stop every process and remove the cluster's files; safe to call twice."""
        if not self.dir.exists():
            return
        # Tells a watchdog that this cluster is going away, not dying: never resume it.
        with contextlib.suppress(OSError):
            (self.dir / STOPPING).touch()
        pids, group = self.pids(), self.cgroup
        self._delete(quiet=True)
        for pid in pids.values():
            _kill(pid)
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.root / f"{self.name}.kwokctl.yaml").unlink(missing_ok=True)
        limits.release(group)

    @property
    def cgroup(self) -> Path | None:
        """The memory cgroup holding this cluster's processes (None: not confined)."""
        with contextlib.suppress(OSError):
            return Path((self.dir / ".cgroup").read_text().strip())
        return None

    def _confine(self) -> None:
        if self.memory_limit:
            group = limits.confine(self.name, list(self.pids().values()), self.memory_limit)
            if group:
                (self.dir / ".cgroup").write_text(str(group))

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
        return bool(pids) and all(pid_alive(pid) for pid in pids.values()) and self.kubeconfig.exists()

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
            running = pid is not None and pid_alive(pid)
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
                **_ports(),
            },
            "componentsPatches": [
                # A lab cluster holds little; a lower GC target keeps the whole control
                # plane well under the 600 MB budget at a small CPU cost.
                {"name": name, "extraEnvs": [{"name": "GOGC", "value": "50"}], "extraArgs": args}
                for name, args in (
                    ("kube-apiserver", []),
                    ("kube-controller-manager", []),
                    ("kube-scheduler", []),
                    ("kwok-controller", []),
                    ("etcd", self._etcd_args()),
                )
            ],
        }

    def _etcd_args(self) -> list[dict]:
        args = [{"key": "max-request-bytes", "value": str(ETCD_MAX_REQUEST_BYTES)}]
        if self.etcd_quota:
            args.append({"key": "quota-backend-bytes", "value": str(self.etcd_quota)})
        return args

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
    def _own_lock(self):
        """This cluster's restart lock (non-blocking): yields False if someone holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f".{self.name}.restart.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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


PORT_OPTIONS = ("kubeApiserverPort", "etcdPort", "etcdPeerPort", "kwokControllerPort",
                "kubeControllerManagerPort", "kubeSchedulerPort")  # fmt: skip
# Below kwokctl's own probing (which walks down from 32767) and the kernel's ephemeral
# range: while a component is down and being restarted, its port stays ours. With probed
# ports, another cluster being created at that moment took the dead API server's port.
PORT_RANGE = (20000, 29999)


def _ports() -> dict[str, int]:
    chosen: dict[str, int] = {}
    rng = random.SystemRandom()
    while len(chosen) < len(PORT_OPTIONS):
        port = rng.randint(*PORT_RANGE)
        if port in chosen.values():
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen[PORT_OPTIONS[len(chosen)]] = port
    return chosen


def _node_ready(node) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in (node.status.conditions or []))


def pid_alive(pid: int) -> bool:
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
    if not pid_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.05)
    if pid_alive(pid):
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
