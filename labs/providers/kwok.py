"""`kwok` provider: a dedicated local cluster per session (near cluster-admin inside: cluster_access).

Clusters live in KUBAEUM_STATE_DIR/kwok-sandboxes/<instance>/clusters/<name>/ (kwokctl's
workdir) with our markers in …/meta/<name>/. A warm pool of
LAB_KWOK_POOL_SIZE started clusters (`pool-…`) is kept ready; a session claims one
atomically (O_EXCL marker file `session`), so a student gets a cluster at once, and a
background task starts a replacement. Without a free pool cluster, one starts cold.
"""

import contextlib
import logging
import shutil
from pathlib import Path

from django.conf import settings

from kubaeum.queueing import send_now
from labs.sandbox import identity

from . import cluster_access, pool
from .base import Provider, ProviderError, Sandbox

log = logging.getLogger(__name__)
READY, SESSION = "ready", pool.SESSION


def root() -> Path:
    """kwokctl's workdir for every sandbox cluster of this installation."""
    path = Path(settings.KUBAEUM_STATE_DIR) / "kwok-sandboxes" / identity.instance_id()
    path.mkdir(parents=True, exist_ok=True)
    return path


def meta(name: str) -> Path:
    """Our markers for one cluster: `ready` once started, `session` once claimed."""
    path = root() / "meta" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _names() -> list[str]:
    folder = root() / "meta"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


MIB = 1024 * 1024
MEMORY_REASON = (
    "실습 클러스터가 메모리 한도({limit}MiB)를 넘어 종료했습니다. "
    "오브젝트를 너무 많이 또는 크게 만들었는지 확인하고 '실습 시작'을 다시 눌러 주세요."
)
GONE_REASON = "실습 클러스터가 멈춰 다시 시작하지 못했습니다. '실습 시작'을 다시 눌러 주세요."


def _cluster(name: str):
    from labs.cluster import LocalCluster

    return LocalCluster(
        name=name,
        workdir=root(),
        nodes=settings.LAB_KWOK_NODES,
        memory_limit=settings.LAB_KWOK_MEMORY_LIMIT_MB * MIB,
        etcd_quota=settings.LAB_KWOK_ETCD_QUOTA_MB * MIB,
    )


def _start(name: str) -> None:
    from labs.cluster import api_client

    cluster = _cluster(name)
    cluster.start()
    with api_client(cluster.kubeconfig) as admin:
        cluster_access.prepare(admin, cluster.kubeconfig)
    (meta(name) / READY).touch()


def _student_kubeconfig(name: str, session) -> str:
    from labs.cluster import api_client

    cluster = _cluster(name)
    with api_client(cluster.kubeconfig) as admin:
        return cluster_access.student_kubeconfig(admin, cluster.kubeconfig, session)


def heal_all() -> list[str]:
    """Restart (on their data) sandbox clusters whose components died, except those the
    kernel stopped at their memory ceiling: the reaper ends those sessions instead."""
    from labs.cluster import limits

    healed = []
    for name in _names():
        if not (meta(name) / READY).exists() or limits.oom_kills(_cluster(name).cgroup):
            continue
        try:
            if _cluster(name).heal():
                healed.append(name)
        except Exception:
            log.warning("could not restart sandbox cluster %s", name, exc_info=True)
    return healed


def problem(name: str) -> str | None:
    """A Korean reason to end the session using cluster `name`, or None if it is fine."""
    from labs.cluster import limits

    cluster = _cluster(name)
    limit_mb = settings.LAB_KWOK_MEMORY_LIMIT_MB
    group = cluster.cgroup
    over = limit_mb and group is None and cluster.resident_memory_bytes() > limit_mb * MIB
    if limits.oom_kills(group) or over:
        # Without the cgroup (no memory controller), this watchdog is the ceiling.
        return MEMORY_REASON.format(limit=limit_mb)
    if cluster.is_running():
        return None
    try:
        cluster.heal(timeout=45)
    except Exception:
        log.warning("sandbox cluster %s is gone", name, exc_info=True)
        return GONE_REASON
    return None if cluster.is_running() else GONE_REASON


def _claim(name: str, session_id: int) -> bool:
    return pool.claim(meta(name), session_id)


def _owner(name: str) -> int | None:
    return pool.owner(root() / "meta" / name)


def free_pool() -> list[str]:
    free = []
    for name in _names():
        if (
            not name.startswith("pool-")
            or not (meta(name) / READY).exists()
            or (meta(name) / SESSION).exists()
        ):
            continue
        if _cluster(name).is_running():
            free.append(name)
        else:  # its processes are gone (host restarted, killed): never hand it out
            remove_cluster(name)
    return free


def refill_pool(size: int | None = None) -> int:
    """Start pool clusters up to `size` (LAB_KWOK_POOL_SIZE); one refiller at a time per host."""
    wanted = settings.LAB_KWOK_POOL_SIZE if size is None else size
    return pool.refill(root(), wanted, free_pool, _start, remove_cluster, _sweep_unready_pool)


def _sweep_unready_pool() -> None:
    """Pool clusters kwokctl made but we never marked ready (pool.refill says why)."""
    folder = root() / "clusters"
    made = {p.name for p in folder.iterdir() if p.is_dir()} if folder.exists() else set()
    for name in sorted(made | set(_names())):
        if name.startswith("pool-") and not (root() / "meta" / name / READY).exists():
            log.info("removing pool cluster %s, left unready by an earlier refill", name)
            remove_cluster(name)


def remove_cluster(name: str) -> None:
    """Stop and forget the cluster `name` (a session's, or a pool cluster nobody took)."""
    with contextlib.suppress(Exception):
        _cluster(name).stop()
    shutil.rmtree(root() / "meta" / name, ignore_errors=True)


class KwokProvider(Provider):
    name = "kwok"
    label = "전용 kwok 클러스터"
    # Namespace labs stay on the shared cluster: a whole control plane per student is
    # only worth it when the lab needs cluster scope.
    scopes = ("cluster",)

    def available(self):
        from labs.cluster.binaries import BinariesMissing, binaries_dir

        try:
            binaries_dir()
        except BinariesMissing as e:
            return False, str(e)
        return True, f"사용 가능 (대기 클러스터 {settings.LAB_KWOK_POOL_SIZE}개 유지)"

    def create(self, session, progress) -> Sandbox:
        progress("sandbox")
        mine = self._name_of(session.pk)
        if mine and (meta(mine) / READY).exists():
            return Sandbox(kubeconfig=_student_kubeconfig(mine, session), cluster_name=mine)
        if mine:
            # A cold start that died half-way: start over, or the session would own two
            # clusters and destroy() (which finds one) would leak the other.
            remove_cluster(mine)
        for name in free_pool():
            if _claim(name, session.pk):
                self._refill_later()
                return Sandbox(kubeconfig=_student_kubeconfig(name, session), cluster_name=name)
        name = identity.cluster_name(session)
        _claim(name, session.pk)
        try:
            _start(name)
            kubeconfig = _student_kubeconfig(name, session)
        except Exception as e:
            log.warning("could not start sandbox cluster %s", name, exc_info=True)
            raise ProviderError("전용 클러스터를 시작하지 못했습니다. 잠시 후 다시 시도해 주세요.") from e
        self._refill_later()
        return Sandbox(kubeconfig=kubeconfig, cluster_name=name)

    def refresh_credentials(self, session) -> str | None:
        name = self._name_of(session.pk)
        return _student_kubeconfig(name, session) if name else None

    def _refill_later(self):
        if settings.LAB_KWOK_POOL_SIZE > 0:
            from labs.sandbox.tasks import refill_kwok_pool

            send_now(refill_kwok_pool)

    def _name_of(self, session_id: int) -> str | None:
        return next((n for n in _names() if _owner(n) == session_id), None)

    def destroy(self, session) -> None:
        name = self._name_of(session.pk)
        if name:
            remove_cluster(name)

    def sandboxes(self) -> dict[int, str]:
        return {sid: n for n in _names() if (sid := _owner(n)) is not None}

    def destroy_orphan(self, name: str) -> None:
        remove_cluster(name)
