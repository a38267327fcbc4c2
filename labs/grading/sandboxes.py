"""The self-test's sandboxes: a fresh one from the lab's provider, exactly what a student
gets (the lab's setup applied with the student's rights), and kubectl commands run as
argument lists with that sandbox's own kubeconfig (never a shell)."""

import contextlib
import os
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from labs.cluster.binaries import kubectl_path

from ..content.lab_format import command_problem


def run_commands(
    commands: Sequence[Sequence[str]],
    kubeconfig: Path,
    namespace: str | None,
    timeout: float = 90,
    scope: str = "namespace",
) -> None:
    for command in commands:
        problem = command_problem(list(command), scope)
        if problem:
            raise ValueError(problem)
        argv = [kubectl_path(), f"--kubeconfig={kubeconfig}"]
        if namespace:
            argv.append(f"--namespace={namespace}")
        argv += command[1:]
        # A throwaway HOME: kubectl's discovery cache must not land in the working directory.
        with tempfile.TemporaryDirectory(prefix="kubaeum-selftest-") as home:
            proc = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=home,
                env={"PATH": os.environ.get("PATH", ""), "HOME": home},
            )
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} 실패: {(proc.stderr or proc.stdout).strip()[:500]}")


@contextlib.contextmanager
def sandbox_for(lab, slot: int = 0):
    """(ApiClient, kubeconfig path, namespace, real containers?) of a fresh sandbox from the
    lab's provider; the last is the provider's own answer (for the namespace provider, the
    shared cluster's nodes), never assumed from the lab.
    `slot`: sandboxes alive at the same time belong to different self-test users, since a
    student has one live session per lab."""
    from labs.cluster.apply import apply_manifests
    from labs.models import LabSession
    from labs.providers import get_provider
    from labs.sandbox.kubeconfig import client_from_text

    user, _ = get_user_model().objects.get_or_create(
        username="kubaeum-selftest" + (f"-{slot}" if slot else ""), defaults={"is_active": False}
    )
    if lab.containers:
        # Probes, logs, finished Jobs and HTTP answers exist only on real containers: such a
        # lab is judged on a provider that runs them, or not at all (never on kwok).
        from labs.providers.registry import pick

        provider = pick(lab)
    else:
        provider = get_provider("namespace" if lab.scope == "namespace" else "kwok")
    prefix = f"st{uuid.uuid4().hex[:6]}-"
    with override_settings(LAB_NAMESPACE_PREFIX=prefix, LAB_CLUSTER_PREFIX=prefix):
        session = LabSession.objects.create(
            user=user, lab=lab, provider=provider.name, state=LabSession.State.PROVISIONING
        )
        try:
            sandbox = provider.create(session, lambda step: None)
            session.namespace, session.cluster_name = sandbox.namespace, sandbox.cluster_name
            session.save(update_fields=["namespace", "cluster_name"])
            api = client_from_text(sandbox.kubeconfig)
            if lab.spec.setup:
                apply_manifests(api, list(lab.spec.setup), namespace=sandbox.namespace or None)
            path = Path(settings.KUBAEUM_STATE_DIR) / f"selftest-{prefix}kubeconfig"
            path.parent.mkdir(parents=True, exist_ok=True)
            with os.fdopen(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w") as f:
                f.write(sandbox.kubeconfig)
            try:
                yield api, path, sandbox.namespace or None, bool(provider.containers)
            finally:
                path.unlink(missing_ok=True)
                api.close()
        finally:
            with contextlib.suppress(Exception):
                provider.destroy(session)
            LabSession.objects.filter(pk=session.pk).delete()
