"""Lab self-test: the reference solution scores 100%, an untouched sandbox does not.

Cluster labs get a real sandbox from the SANDBOX providers (namespace: a fresh namespace
with the student's RBAC, quota and LimitRange; cluster scope: a dedicated kwok cluster),
exactly what a student gets, with the lab's setup applied with the student's rights.
Solution manifests are applied and solution commands run as kubectl argument lists with
the sandbox's own kubeconfig (never a shell). File labs grade the solution and starter files.
"""

import contextlib
import os
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from labs.cluster.binaries import kubectl_path

from .engine import grade
from .lab_format import command_problem
from .sources import FileSource, LiveSource


@dataclass
class SelftestResult:
    slug: str
    solution_score: int = 0
    untouched_score: int = 0
    max_score: int = 0
    untouched_failing: list[str] = field(default_factory=list)
    solution_failing: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""

    @property
    def ok(self) -> bool:
        return (
            not self.error
            and self.max_score > 0
            and self.solution_score == self.max_score
            and self.untouched_score < self.max_score
        )

    def summary(self) -> str:
        if self.error:
            return f"{self.slug}: 실패 — {self.error}"
        state = "통과" if self.ok else "실패"
        text = (
            f"{self.slug}: {state} — 정답 {self.solution_score}/{self.max_score}, "
            f"초기 상태 {self.untouched_score}/{self.max_score} "
            f"(초기 상태에서 실패한 검사: {', '.join(self.untouched_failing) or '없음'}) · {self.seconds:.1f}초"
        )
        if self.solution_failing:
            text += f"\n  정답으로도 실패한 검사: {', '.join(self.solution_failing)}"
        for line in self.details:
            text += f"\n  {line}"
        return text


def run_selftest(lab, timeout: float = 90) -> SelftestResult:
    result = SelftestResult(lab.slug, max_score=lab.definition.get("max_score", 0))
    started = time.monotonic()
    try:
        if lab.scope == "none":
            _files_selftest(lab, result)
        else:
            _live_selftest(lab, result, timeout)
    except Exception as exc:  # reported per lab; one broken lab must not hide the others
        result.error = f"{type(exc).__name__}: {exc}"
    result.seconds = time.monotonic() - started
    return result


def _record(result, report, prefix):
    failing = [r["id"] for r in report["results"] if not r["passed"]]
    if prefix == "untouched":
        result.untouched_score, result.untouched_failing = report["score"], failing
    else:
        result.solution_score, result.solution_failing = report["score"], failing
        result.details = [
            f"{r['id']}: {r['detail'] or r['message']}" for r in report["results"] if not r["passed"]
        ]


def _files_selftest(lab, result):
    definition = lab.definition
    specs = definition.get("files") or []
    _record(
        result,
        grade(definition, FileSource({s["name"]: s.get("starter", "") for s in specs}, specs)),
        "untouched",
    )
    _record(result, grade(definition, FileSource(definition["solution"]["files"], specs)), "solution")


def run_commands(commands, kubeconfig: Path, namespace: str | None, timeout: float = 90) -> None:
    for command in commands:
        problem = command_problem(command)
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
def sandbox_for(lab):
    """(ApiClient, kubeconfig path, namespace) of a fresh sandbox from the lab's provider."""
    from labs.cluster.apply import apply_manifests
    from labs.models import LabSession
    from labs.providers import get_provider
    from labs.sandbox.kubeconfig import client_from_text

    user, _ = get_user_model().objects.get_or_create(
        username="kubaeum-selftest", defaults={"is_active": False}
    )
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
            setup = lab.definition.get("setup") or []
            if setup:
                apply_manifests(api, setup, namespace=sandbox.namespace or None)
            path = Path(settings.KUBAEUM_STATE_DIR) / f"selftest-{prefix}kubeconfig"
            path.parent.mkdir(parents=True, exist_ok=True)
            with os.fdopen(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w") as f:
                f.write(sandbox.kubeconfig)
            try:
                yield api, path, sandbox.namespace or None
            finally:
                path.unlink(missing_ok=True)
                api.close()
        finally:
            with contextlib.suppress(Exception):
                provider.destroy(session)
            LabSession.objects.filter(pk=session.pk).delete()


def _settled(definition, api, namespace, *, until_perfect=False, timeout=30.0, quiet=1.5):
    """Grade repeatedly: until full marks (solution), or until the score stops moving (untouched)."""
    deadline = time.monotonic() + timeout
    last, stable_since = None, time.monotonic()
    while True:
        report = grade(definition, LiveSource(api, namespace))
        if until_perfect and report["score"] == report["max_score"]:
            return report
        key = [r["passed"] for r in report["results"]]
        if key != last:
            last, stable_since = key, time.monotonic()
        elif not until_perfect and time.monotonic() - stable_since >= quiet:
            return report
        if time.monotonic() > deadline:
            return report
        time.sleep(0.3)


def _live_selftest(lab, result, timeout):
    from labs.cluster.apply import apply_manifests

    definition = lab.definition
    solution = definition.get("solution") or {}
    with sandbox_for(lab) as (api, kubeconfig, namespace):
        _record(result, _settled(definition, api, namespace, timeout=10), "untouched")
        if solution.get("manifests"):
            apply_manifests(api, solution["manifests"], namespace=namespace)
        run_commands(solution.get("commands") or [], kubeconfig, namespace)
        _record(result, _settled(definition, api, namespace, until_perfect=True, timeout=timeout), "solution")
