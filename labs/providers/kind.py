"""`kind` provider: a dedicated kind cluster (real containers) per session.

The student never gets kind's admin kubeconfig: the node is a privileged container on the
host's Docker engine, so an admin could run a privileged pod and reach the host. Every
cluster gets the restricted student identity and the container guards of cluster_access
(Pod Security baseline outside kube-system and local-path-storage, nothing written or
exec'd there) before it is marked ready; a session gets a token kubeconfig for it.

Clusters run on the Docker engine of containers/engine.sh (the user's, or Kubaeum's private
one) from the locally built node image (containers/build.sh: every image preloaded, so
nothing is pulled). Each cluster has our markers in KUBAEUM_STATE_DIR/kind/<name>/. Like kwok,
a warm pool of LAB_KIND_POOL_SIZE ready clusters (`…pool-…`) is kept; a session claims one
atomically (O_EXCL marker file `session`) and a background task starts a replacement.
"""

import contextlib
import functools
import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

import yaml
from django.conf import settings
from kubernetes import client as k8s

from kubaeum.queueing import send_now
from labs.cluster.access import api_client
from labs.sandbox import identity

from . import cluster_access, pool
from .base import Provider, ProviderError, Sandbox

log = logging.getLogger(__name__)
READY, SESSION = "ready", pool.SESSION
GUARDED = "guarded"  # marker: the student identity and guards are in (absent on older clusters)
REPO_DIR = Path(__file__).resolve().parents[2]
CLUSTER_LABEL = "io.x-k8s.kind.cluster"  # kind's own label on its node containers


def _versions() -> dict[str, str]:
    values = {}
    for line in (REPO_DIR / "containers" / "versions.env").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            values[key.strip()] = value.strip()
    return values


def cache_dir() -> Path:
    return Path(os.environ.get("KUBAEUM_CACHE_DIR") or Path.home() / ".cache" / "kubaeum")


def kind_binary() -> str:
    """LAB_KIND_BINARY when set, else the kind CLI containers/build.sh built, else `kind`."""
    if settings.LAB_KIND_BINARY:
        return shutil.which(settings.LAB_KIND_BINARY) or settings.LAB_KIND_BINARY
    built = cache_dir() / "bin" / f"kind-{_versions()['KIND_VERSION']}"
    return str(built) if built.exists() else (shutil.which("kind") or "kind")


def node_image() -> str:
    return settings.LAB_KIND_NODE_IMAGE or _versions()["NODE_IMAGE"]


def docker_host() -> str:
    """LAB_DOCKER_HOST, else $DOCKER_HOST, else Kubaeum's private engine when its socket exists."""
    if settings.LAB_DOCKER_HOST:
        return settings.LAB_DOCKER_HOST
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"]
    private = cache_dir() / "docker" / "docker.sock"
    return f"unix://{private}" if private.exists() else ""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if host := docker_host():
        env["DOCKER_HOST"] = host
    return env


# kind's and docker's output names the engine's socket, node addresses and ports: it goes to
# the worker's log, and a ProviderError (which a student may read) says only what failed.
def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=_env())
    except (OSError, subprocess.TimeoutExpired) as e:
        log.warning("could not run %s: %s", args[:3], e)
        raise ProviderError(f"{Path(args[0]).name}를 실행하지 못했습니다.", transient=True) from e


def _failed(what: str, done: subprocess.CompletedProcess, transient: bool = False) -> ProviderError:
    log.warning("%s failed (exit %s): %s", what, done.returncode, done.stderr.strip()[-2000:])
    return ProviderError(f"{what} 실패 (자세한 내용은 워커 로그에 있습니다).", transient=transient)


def _kind(*args: str, timeout: int = 600) -> str:
    done = _run([kind_binary(), *args], timeout)
    if done.returncode != 0:
        raise _failed(f"kind {' '.join(args[:2])}", done)
    return done.stdout


def _docker(*args: str, timeout: int = 30) -> subprocess.CompletedProcess:
    return _run(["docker", *args], timeout)


@functools.cache
def _cgroup_version() -> str:
    done = _docker("info", "--format", "{{.CgroupVersion}}")
    return done.stdout.strip() if done.returncode == 0 else ""


def cluster_config() -> dict:
    """kind's cluster config: one node of our image, the image's own CNI config, and on a
    cgroup v1 engine `failCgroupV1: false` (kubelet 1.37 refuses cgroup v1 by default)."""
    config = {
        "kind": "Cluster",
        "apiVersion": "kind.x-k8s.io/v1alpha4",
        "networking": {"disableDefaultCNI": True},
        "nodes": [{"role": "control-plane", "image": node_image()}],
    }
    if _cgroup_version() == "1":
        config["kubeadmConfigPatches"] = ["kind: KubeletConfiguration\nfailCgroupV1: false\n"]
    config["kubeadmConfigPatchesJSON6902"] = [
        {
            "group": "kubeadm.k8s.io",
            "version": "v1beta4",
            "kind": "ClusterConfiguration",
            "patch": yaml.safe_dump(_lean_control_plane()),
        }
    ]
    return config


# A lab cluster holds a few dozen objects: the control plane's Go heaps are kept small (a
# lower GC target and a soft memory limit per component) at a little CPU, so many clusters
# fit on one machine (bench/kind.py measures it).
CONTROL_PLANE_MEMORY = {
    "apiServer": "200MiB",
    "controllerManager": "70MiB",
    "scheduler": "40MiB",
}


def _lean_control_plane() -> list[dict]:
    def env(limit: str | None) -> list[dict]:
        return [{"name": "GOGC", "value": "50"}] + ([{"name": "GOMEMLIMIT", "value": limit}] if limit else [])

    ops: list[dict] = [
        {"op": "add", "path": f"/{component}/extraEnvs", "value": env(limit)}
        for component, limit in CONTROL_PLANE_MEMORY.items()
    ]
    ops.append({"op": "add", "path": "/etcd", "value": {"local": {"extraEnvs": env(None)}}})
    return ops


def _one_coredns(kubeconfig: Path) -> None:
    """kubeadm runs two CoreDNS replicas for availability; a lab cluster of one node needs
    one (about 75 MB less per cluster)."""
    with api_client(kubeconfig) as api:
        k8s.AppsV1Api(api).patch_namespaced_deployment_scale(
            "coredns", "kube-system", {"spec": {"replicas": 1}}, _request_timeout=10
        )


def _prefix() -> str:
    return f"kubaeum-{identity.instance_id()[:6]}-"


def kind_name(session) -> str:
    return f"{_prefix()}{session.pk}"


def shared_cluster_name() -> str:
    """The kind cluster that hosts namespace sandboxes when LAB_SHARED_CLUSTER is "kind"."""
    return f"{_prefix()}shared"


def workdir(name: str) -> Path:
    path = Path(settings.KUBAEUM_STATE_DIR) / "kind" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clusters() -> dict[str, bool]:
    """Every kind cluster of this installation on the engine: {name: node running?}."""
    fmt = f'{{{{.Label "{CLUSTER_LABEL}"}}}} {{{{.State}}}}'
    done = _docker("ps", "-a", "--filter", f"label={CLUSTER_LABEL}", "--format", fmt)
    if done.returncode != 0:
        raise _failed("docker ps", done, transient=True)
    found: dict[str, bool] = {}
    for line in done.stdout.splitlines():
        name, _, state = line.strip().partition(" ")
        if name.startswith(_prefix()):
            found[name] = found.get(name, True) and state == "running"
    return found


def create_cluster(name: str) -> str:
    """Create (or finish) the kind cluster `name`; returns its admin kubeconfig."""
    folder = workdir(name)
    kubeconfig = folder / "kubeconfig"
    if name not in _clusters():
        config = folder / "kind-config.yaml"
        config.write_text(yaml.safe_dump(cluster_config(), sort_keys=False))
        args = ["create", "cluster", "--name", name, "--config", str(config), "--kubeconfig", str(kubeconfig)]
        _kind(*args, "--wait", settings.LAB_KIND_WAIT, timeout=900)
    if not kubeconfig.exists():
        kubeconfig.write_text(_kind("get", "kubeconfig", "--name", name))
    try:
        _one_coredns(kubeconfig)
    except Exception as e:  # the cluster works with two; never fail a create for this
        log.warning("kind: could not scale CoreDNS of %s to one replica: %s", name, e)
    guard(name)
    (folder / READY).touch()
    return kubeconfig.read_text()


def guard(name: str) -> None:
    """Install the student identity and the container guards in cluster `name` (idempotent)."""
    folder = workdir(name)
    try:
        with api_client(folder / "kubeconfig") as admin:
            cluster_access.prepare(admin, folder / "kubeconfig", containers=True)
    except Exception as e:
        # The detail names the cluster's internal address: the worker's log keeps it.
        log.warning("kind: could not install the guards in %s", name, exc_info=True)
        raise ProviderError(
            "실습 클러스터에 학생 권한과 보호 정책을 설치하지 못했습니다. 잠시 후 다시 시도해 주세요."
        ) from e
    (folder / GUARDED).touch()


def student_kubeconfig(name: str, session) -> str:
    """The session's kubeconfig for cluster `name`: the restricted student's token, never
    kind's admin credentials. A cluster made before the guards existed gets them first."""
    folder = workdir(name)
    if not (folder / GUARDED).exists():
        guard(name)
    with api_client(folder / "kubeconfig") as admin:
        return cluster_access.student_kubeconfig(admin, folder / "kubeconfig", session)


def all_clusters() -> dict[str, bool]:
    """Every kind cluster of this installation (sessions, pool, shared): {name: running?}."""
    return _clusters()


def delete_cluster(name: str) -> None:
    folder = Path(settings.KUBAEUM_STATE_DIR) / "kind" / name
    _kind("delete", "cluster", "--name", name, "--kubeconfig", str(folder / "kubeconfig"), timeout=300)
    shutil.rmtree(folder, ignore_errors=True)


def _claim(name: str, session_id: int) -> bool:
    return pool.claim(workdir(name), session_id)


def _owner(name: str) -> int | None:
    claimed = pool.owner(Path(settings.KUBAEUM_STATE_DIR) / "kind" / name)
    if claimed is not None:
        return claimed
    rest = name.removeprefix(_prefix())
    return int(rest) if name.startswith(_prefix()) and rest.isdigit() else None


def free_pool() -> list[str]:
    """Ready, unclaimed pool clusters whose node is running."""
    folder = Path(settings.KUBAEUM_STATE_DIR) / "kind"
    clusters = _clusters()
    free = []
    for name, running in sorted(clusters.items()):
        if "-pool-" not in name:
            continue
        marks = folder / name
        if not (marks / READY).exists() or (marks / SESSION).exists():
            continue
        if running:
            free.append(name)
        else:  # its node stopped (engine restarted): never hand it out
            with contextlib.suppress(ProviderError):
                delete_cluster(name)
    return free


def refill_pool() -> int:
    """Create pool clusters up to LAB_KIND_POOL_SIZE; one refiller at a time per host."""
    folder = Path(settings.KUBAEUM_STATE_DIR) / "kind"
    folder.mkdir(parents=True, exist_ok=True)
    return pool.refill(
        folder,
        settings.LAB_KIND_POOL_SIZE,
        free_pool,
        lambda name: create_cluster(_prefix() + name),
        lambda name: delete_cluster(_prefix() + name),
        _sweep_unready_pool,
    )


def _sweep_unready_pool() -> None:
    """Pool clusters on the engine that we never marked ready (pool.refill says why)."""
    folder = Path(settings.KUBAEUM_STATE_DIR) / "kind"
    for name in sorted(_clusters()):
        if "-pool-" in name and not (folder / name / READY).exists():
            log.info("kind: deleting pool cluster %s, left unready by an earlier refill", name)
            with contextlib.suppress(ProviderError):  # logged by _failed; the next refill retries
                delete_cluster(name)


class KindProvider(Provider):
    name = "kind"
    label = "전용 kind 클러스터 (실제 컨테이너)"
    scopes = ("cluster", "namespace")
    containers = True

    def available(self):
        binary = kind_binary()
        if not shutil.which(binary) and not Path(binary).is_file():
            return False, "kind CLI가 없습니다. 'make kind'로 만드세요."
        if not shutil.which("docker"):
            return False, "docker 명령이 PATH에 없어 사용할 수 없습니다."
        try:
            done = _docker("image", "inspect", node_image(), "--format", "{{.Id}}", timeout=10)
        except ProviderError as e:
            return False, str(e)
        if done.returncode != 0:
            if "Cannot connect" in done.stderr or "daemon" in done.stderr:
                return False, "응답하는 Docker 엔진이 없습니다. 'make run'이 엔진을 시작합니다."
            return False, f"노드 이미지 {node_image()}가 없습니다. 'make kind'로 만드세요."
        return True, f"사용 가능 ({node_image()}, 대기 클러스터 {settings.LAB_KIND_POOL_SIZE}개 유지)"

    def existing(self) -> list[str]:
        return sorted(_clusters())

    def create(self, session, progress) -> Sandbox:
        progress("sandbox")
        mine = self._name_of(session.pk)
        if mine and (workdir(mine) / READY).exists() and (workdir(mine) / "kubeconfig").exists():
            return Sandbox(kubeconfig=student_kubeconfig(mine, session), cluster_name=mine)
        if mine:
            # A cold create that died half-way: start over rather than hand out a cluster
            # whose kubeadm run never finished.
            with contextlib.suppress(ProviderError):
                delete_cluster(mine)
        started = time.monotonic()
        for name in free_pool():
            if _claim(name, session.pk):
                self._refill_later()
                log.info("kind: session %s took pool cluster %s", session.pk, name)
                return Sandbox(kubeconfig=student_kubeconfig(name, session), cluster_name=name)
        name = kind_name(session)
        _claim(name, session.pk)
        try:
            create_cluster(name)
            kubeconfig = student_kubeconfig(name, session)
        except ProviderError:
            raise
        except Exception as e:
            log.warning("kind: could not create cluster %s", name, exc_info=True)
            raise ProviderError("kind 클러스터를 만들지 못했습니다. 잠시 후 다시 시도해 주세요.") from e
        log.info("kind: cluster %s created in %.1f s", name, time.monotonic() - started)
        self._refill_later()
        return Sandbox(kubeconfig=kubeconfig, cluster_name=name)

    def refresh_credentials(self, session) -> str | None:
        name = self._name_of(session.pk)
        return student_kubeconfig(name, session) if name else None

    def _refill_later(self):
        if settings.LAB_KIND_POOL_SIZE > 0:
            from labs.sandbox.tasks import refill_kind_pool

            send_now(refill_kind_pool)

    def _name_of(self, session_id: int) -> str | None:
        folder = Path(settings.KUBAEUM_STATE_DIR) / "kind"
        names = {p.name for p in folder.iterdir() if p.is_dir()} if folder.exists() else set()
        return next((n for n in sorted(names) if _owner(n) == session_id), None)

    def destroy(self, session) -> None:
        name = self._name_of(session.pk)
        if name is None and kind_name(session) in _clusters():
            name = kind_name(session)
        if name:
            delete_cluster(name)

    def sandboxes(self) -> dict[int, str]:
        """Clusters of ours that belong to a session (claimed pool clusters too)."""
        return {sid: name for name in _clusters() if (sid := _owner(name)) is not None}

    def destroy_orphan(self, name: str) -> None:
        delete_cluster(name)
