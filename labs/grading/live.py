"""Checking a live sandbox without recording anything: the lab page's live task list.

The same engine as 채점하기, but no Submission row, no score kept, and nothing that counts
towards hint unlocking. One LiveSource per round, so every check of the round shares one
list request per kind. A short per-session cache lets several tabs (and a console command
racing the periodic refresh) share one round instead of reading the sandbox again.
"""

from dataclasses import dataclass

from django.core.cache import cache

from kubaeum.errors import UserError
from labs.models import Lab
from labs.spec import Check

from .engine import grade
from .results import GradeReport
from .sources import LiveSource, SourceError

ROUND_SECONDS = 1.5  # a result younger than this is served again instead of re-reading

# Which object a check is about, for lighting it in the resource view.
TARGET_KIND = {
    "deployment_ready": "Deployment",
    "rollout": "Deployment",
    "service_endpoints": "Service",
    "pod_ready": "Pod",
    "env_from": "Deployment",
    "volume_from": "Deployment",
    "resources": "Deployment",
    "service_type": "Service",
    "service_port": "Service",
    "secret_value": "Secret",
    "config_value": "ConfigMap",
    "quota": "ResourceQuota",
}


class LiveCheckUnavailable(UserError):
    """The sandbox cannot be checked right now."""

    status = 409


class _NotingSource(LiveSource):
    """Remembers the first read that failed: a round that could not read the sandbox says
    so once, instead of showing every task as failed."""

    error: SourceError | None = None

    def _fetch(self, kind, ns):
        try:
            return super()._fetch(kind, ns)
        except SourceError as exc:
            self.error = self.error or exc
            raise


@dataclass(frozen=True)
class LiveRound:
    report: GradeReport
    targets: dict[str, dict[str, str]]  # check id → {kind, name} of the object it is about
    reads: int  # API requests the round made


def _target(check: Check) -> dict[str, str] | None:
    # A python check's `name` is the registered function, not an object in the sandbox.
    name = check.params.get("name")
    kind = check.params.get("kind") or TARGET_KIND.get(check.type)
    if not kind or not isinstance(name, str) or check.type == "python":
        return None
    return {"kind": kind, "name": name}


def check_now(session, fresh: bool = False) -> LiveRound:
    """One round of the lab's checks on the session's sandbox.

    Raises LiveCheckUnavailable when the session cannot be read (ended, API down).
    """
    if session.lab.scope == Lab.Scope.NONE or not session.is_usable:
        raise LiveCheckUnavailable("실습 환경이 준비되지 않았거나 이미 종료되었습니다.")
    key = f"kubaeum:live-checks:{session.pk}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    from labs.sandbox.services import SessionError

    from .services import session_source

    try:
        source = session_source(session, _NotingSource, timeout=5)
    except SessionError as exc:
        raise LiveCheckUnavailable(str(exc)) from None
    spec = session.lab.spec
    report = grade(spec, source)
    if source.error is not None:
        raise LiveCheckUnavailable(str(source.error))
    targets = {check.id: target for check in spec.checks if (target := _target(check))}
    round_ = LiveRound(report, targets, source.requests)
    cache.set(key, round_, ROUND_SECONDS)
    return round_
