"""`kwok` provider: a dedicated local cluster per session (cluster-admin inside).

Clusters live in KUBAEUM_STATE_DIR/kwok-sandboxes/<instance>/<name>/. A warm pool of
LAB_KWOK_POOL_SIZE started clusters (`pool-…`) is kept ready; a session claims one
atomically (O_EXCL marker file `session`), so a student gets a cluster at once, and a
background task starts a replacement. Without a free pool cluster, one starts cold.
"""

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings

from labs.sandbox import identity

from .base import Provider, ProviderError, Sandbox

log = logging.getLogger(__name__)
READY, SESSION = "ready", "session"


def root() -> Path:
    path = Path(settings.KUBAEUM_STATE_DIR) / "kwok-sandboxes" / identity.instance_id()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cluster(workdir: Path):
    from labs.cluster import LocalCluster

    return LocalCluster(name=workdir.name, workdir=workdir, nodes=settings.LAB_KWOK_NODES)


def _start(workdir: Path) -> str:
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = _cluster(workdir)
    cluster.start()
    (workdir / READY).touch()
    return cluster.kubeconfig.read_text()


def _claim(workdir: Path, session_id: int) -> bool:
    try:
        fd = os.open(workdir / SESSION, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(str(session_id))
    return True


def _owner(workdir: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int((workdir / SESSION).read_text().strip())
    return None


def free_pool() -> list[Path]:
    return sorted(
        p for p in root().glob("pool-*") if (p / READY).exists() and not (p / SESSION).exists() and p.is_dir()
    )


def refill_pool() -> int:
    """Start pool clusters up to LAB_KWOK_POOL_SIZE; one refiller at a time per host."""
    lock = open(root() / ".pool.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0
    started = 0
    try:
        while len(free_pool()) < settings.LAB_KWOK_POOL_SIZE:
            workdir = root() / f"pool-{secrets.token_hex(4)}"
            try:
                _start(workdir)
            except Exception:
                log.exception("could not start a pool cluster")
                _remove(workdir)
                break
            started += 1
    finally:
        lock.close()
    return started


def _remove(workdir: Path) -> None:
    with contextlib.suppress(Exception):
        _cluster(workdir).stop()
    shutil.rmtree(workdir, ignore_errors=True)


class KwokProvider(Provider):
    name = "kwok"
    label = "전용 kwok 클러스터"
    scopes = ("cluster", "namespace")

    def available(self):
        try:
            from labs.cluster import local

            check = getattr(local, "binaries_ready", None)
            if check and not check():
                return False, "컨트롤 플레인 바이너리가 없습니다 (make k8s로 빌드하세요)."
        except Exception as e:
            return False, str(e)
        return True, f"사용 가능 (대기 클러스터 {settings.LAB_KWOK_POOL_SIZE}개 유지)"

    def create(self, session, progress) -> Sandbox:
        progress("sandbox")
        mine = self._workdir_of(session.pk)
        if mine and (mine / READY).exists():
            return Sandbox(kubeconfig=_cluster(mine).kubeconfig.read_text(), cluster_name=mine.name)
        for workdir in free_pool():
            if _claim(workdir, session.pk):
                self._refill_later()
                return Sandbox(kubeconfig=_cluster(workdir).kubeconfig.read_text(), cluster_name=workdir.name)
        workdir = root() / identity.cluster_name(session)
        workdir.mkdir(parents=True, exist_ok=True)
        _claim(workdir, session.pk)
        try:
            kubeconfig = _start(workdir)
        except Exception as e:
            raise ProviderError(f"전용 클러스터를 시작하지 못했습니다: {e}") from e
        self._refill_later()
        return Sandbox(kubeconfig=kubeconfig, cluster_name=workdir.name)

    def _refill_later(self):
        if settings.LAB_KWOK_POOL_SIZE > 0:
            from labs.sandbox.tasks import refill_kwok_pool

            with contextlib.suppress(Exception):
                refill_kwok_pool.apply_async(retry=False)

    def _workdir_of(self, session_id: int) -> Path | None:
        return next((p for p in root().iterdir() if p.is_dir() and _owner(p) == session_id), None)

    def destroy(self, session) -> None:
        workdir = self._workdir_of(session.pk)
        if workdir:
            _remove(workdir)

    def sandboxes(self) -> dict[int, str]:
        return {sid: p.name for p in root().iterdir() if p.is_dir() and (sid := _owner(p)) is not None}

    def destroy_orphan(self, name: str) -> None:
        _remove(root() / name)
