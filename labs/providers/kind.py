"""`kind` provider: a dedicated kind cluster (real containers) per session.

Only where `docker` and `kind` are on PATH. Everything goes through the kind CLI:
create with --name/--config/--kubeconfig/--wait, delete with `kind delete cluster`.
"""

import shutil
import subprocess
from pathlib import Path

import yaml
from django.conf import settings

from labs.sandbox import identity

from .base import Provider, ProviderError, Sandbox

CONFIG = {"kind": "Cluster", "apiVersion": "kind.x-k8s.io/v1alpha4", "nodes": [{"role": "control-plane"}]}


def _prefix() -> str:
    return f"kubaeum-{identity.instance_id()[:6]}-"


def kind_name(session) -> str:
    return f"{_prefix()}{session.pk}"


def _workdir(name: str) -> Path:
    path = Path(settings.KUBAEUM_STATE_DIR) / "kind" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _kind(*args: str, timeout: int = 600) -> str:
    binary = shutil.which(settings.LAB_KIND_BINARY) or settings.LAB_KIND_BINARY
    try:
        done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ProviderError(f"kind를 실행하지 못했습니다: {e}", transient=True) from e
    if done.returncode != 0:
        raise ProviderError(
            f"kind {args[0]} {args[1] if len(args) > 1 else ''} 실패: {done.stderr.strip()[-500:]}"
        )
    return done.stdout


class KindProvider(Provider):
    name = "kind"
    label = "전용 kind 클러스터 (실제 컨테이너)"
    scopes = ("cluster", "namespace")
    containers = True

    def available(self):
        missing = [b for b in (settings.LAB_KIND_BINARY, "docker") if not shutil.which(b)]
        if missing:
            return False, f"{', '.join(missing)} 명령이 PATH에 없어 사용할 수 없습니다."
        return True, "사용 가능 (docker, kind 확인됨)"

    def existing(self) -> list[str]:
        return [line.strip() for line in _kind("get", "clusters").splitlines() if line.strip()]

    def create(self, session, progress) -> Sandbox:
        progress("sandbox")
        name = kind_name(session)
        workdir = _workdir(name)
        kubeconfig = workdir / "kubeconfig"
        if name not in self.existing():
            config = workdir / "kind-config.yaml"
            config.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
            args = [
                "create",
                "cluster",
                "--name",
                name,
                "--config",
                str(config),
                "--kubeconfig",
                str(kubeconfig),
            ]
            args += ["--wait", settings.LAB_KIND_WAIT]
            if settings.LAB_KIND_NODE_IMAGE:
                args += ["--image", settings.LAB_KIND_NODE_IMAGE]
            _kind(*args, timeout=900)
        if not kubeconfig.exists():
            kubeconfig.write_text(_kind("get", "kubeconfig", "--name", name))
        return Sandbox(kubeconfig=kubeconfig.read_text(), cluster_name=name)

    def destroy(self, session) -> None:
        self.destroy_orphan(kind_name(session))

    def sandboxes(self) -> dict[int, str]:
        prefix = _prefix()
        found = {}
        for name in self.existing():
            rest = name.removeprefix(prefix)
            if name.startswith(prefix) and rest.isdigit():
                found[int(rest)] = name
        return found

    def destroy_orphan(self, name: str) -> None:
        workdir = _workdir(name)
        _kind("delete", "cluster", "--name", name, "--kubeconfig", str(workdir / "kubeconfig"))
        shutil.rmtree(workdir, ignore_errors=True)
