"""LocalCluster: start/stop the upstream control plane + kwok (implementation in progress)."""

from pathlib import Path

from django.conf import settings


class ClusterError(RuntimeError):
    """A Korean message fit for an operator or a student."""


class LocalCluster:
    def __init__(self, name: str, workdir: Path | None = None, nodes: int = 2):
        self.name = name
        self.workdir = Path(workdir) if workdir else settings.KUBAEUM_STATE_DIR / "clusters" / name
        self.nodes = nodes

    @property
    def kubeconfig(self) -> Path:
        return self.workdir / "kubeconfig"
