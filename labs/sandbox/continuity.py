"""No silent loss: activity heartbeats, and "이어서 하기" after a sandbox was reaped.

What the student changed is kept: every successful 적용 from the editor (AppliedManifest)
and every console command that wrote objects (its ConsoleCommand row: `kubectl create`,
`run`, `scale`, `set image`, `label`, `delete` ...). When a session ends (idle, expired,
reaped), the student can start a fresh session; the provisioning worker replays that work
into the new sandbox in the order the student did it, before the session shows ready (so
kubectl never runs on a web request). The replay is claimed with a conditional UPDATE, so
it happens once.
"""

import logging
import shlex
import time

from django.db import transaction
from django.utils import timezone

from labs.models import AppliedManifest, ConsoleCommand, LabSession, SessionResume

from . import services

log = logging.getLogger(__name__)
MAX_KEPT = 200  # applies (and writing commands) kept per session; older ones are not replayed
# Replay stops after this long (the provisioning task's own limit is a few minutes).
REPLAY_SECONDS = 60


def record_applied(session, text: str) -> None:
    AppliedManifest.objects.create(session=session, text=text)
    stale = session.applied_manifests.order_by("-created_at", "-id").values_list("pk", flat=True)[MAX_KEPT:]
    AppliedManifest.objects.filter(pk__in=list(stale)).delete()


def _written_by_console(session, limit: int = MAX_KEPT) -> list[tuple]:
    """(finished_at, id, args) of the newest console commands that changed the sandbox,
    oldest first."""
    from labs.console.policy import changes_objects

    rows = ConsoleCommand.objects.filter(
        session=session, state=ConsoleCommand.State.DONE, exit_code=0, finished_at__isnull=False
    ).order_by("-finished_at", "-id")
    found = []
    for finished_at, pk, args in rows.values_list("finished_at", "id", "args").iterator():
        if isinstance(args, list) and changes_objects(args):
            found.append((finished_at, pk, args))
            if len(found) == limit:
                break
    return found[::-1]


def work_of(session) -> list[tuple[str, object]]:
    """What the student changed, in order: ("manifests", text) and ("command", args)."""
    manifests = [
        (at, 0, pk, ("manifests", text))
        for at, pk, text in session.applied_manifests.values_list("created_at", "id", "text")
    ]
    commands = [(at, 1, pk, ("command", args)) for at, pk, args in _written_by_console(session)]
    return [item for *_, item in sorted(manifests + commands, key=lambda row: row[:3])]


def heartbeat(session) -> bool:
    """The student is working (typing, reading, clicking): push the idle deadline."""
    if not session.is_usable:
        return False
    services.record_activity(session)
    return True


def resumable(session) -> bool:
    return (
        session is not None
        and session.state in (LabSession.State.ENDED, LabSession.State.FAILED)
        and (session.applied_manifests.exists() or bool(_written_by_console(session, limit=1)))
    )


def resume(user, source) -> LabSession:
    """A new session for the same lab that replays `source`'s work while it is provisioned."""
    if source.user_id != user.pk or not resumable(source):
        raise services.SessionError("이어서 할 작업이 없습니다. 새로 시작해 주세요.")
    with transaction.atomic():
        # One transaction: the provisioning task is sent on commit, so the worker always
        # finds what to replay. A session already past provisioning is not replayed into.
        session = services.start_session(user, source.lab)
        if session.state == LabSession.State.REQUESTED:
            SessionResume.objects.get_or_create(session=session, defaults={"source": source})
    return session


def resume_of(session) -> SessionResume | None:
    return SessionResume.objects.filter(session=session).first()


def replay_pending(session, kubeconfig: str, namespace: str | None) -> SessionResume | None:
    """Replay the source session's work into this session's new sandbox, once. Called by
    the provisioning worker with the sandbox's credentials, before the session is ready."""
    resume = SessionResume.objects.filter(session=session).select_related("source").first()
    if resume is None:
        return None
    claimed = SessionResume.objects.filter(
        pk=resume.pk, state=SessionResume.State.PENDING, finished_at__isnull=True
    ).update(finished_at=timezone.now())
    if not claimed:
        resume.refresh_from_db()
        return resume
    from labs.sandbox.kubeconfig import client_from_text

    applied, problems = 0, []
    work = work_of(resume.source)
    deadline = time.monotonic() + REPLAY_SECONDS
    # One client (one connection) and one kubeconfig file for kubectl, for the whole replay.
    with client_from_text(kubeconfig) as api, services.kubeconfig_file(kubeconfig) as path:
        for number, (kind, item) in enumerate(work):
            if time.monotonic() > deadline:
                problems.append(f"시간이 모자라 나머지 {len(work) - number}건은 다시 적용하지 못했습니다.")
                break
            try:
                if kind == "manifests":
                    problem = _apply(session, resume.source, item, api, namespace)
                else:
                    problem = _run(session, resume.source, item, path, namespace)
            except Exception:  # a lost connection, a client error: the rest may still go in
                log.exception("replaying into session %s failed", session.pk)
                problem = "실습 클러스터에 연결하지 못해 다시 적용하지 못했습니다."
            if problem:
                problems.append(problem)
            else:
                applied += 1
    state = SessionResume.State.FAILED if problems else SessionResume.State.DONE
    SessionResume.objects.filter(pk=resume.pk).update(
        state=state, applied=applied, message="\n".join(problems)[:4000]
    )
    resume.refresh_from_db()
    return resume


def _apply(session, source, text, api, namespace) -> str:
    from kubaeum.safe_yaml import SafeYamlError
    from labs.cluster.apply import ApplyError, apply_manifests
    from labs.grading.manifests import parse_manifests

    try:
        manifests = parse_manifests(text)
        for manifest in manifests:
            # The old sandbox's own namespace name means "this sandbox".
            meta = manifest.get("metadata") or {}
            if meta.get("namespace") == source.namespace:
                meta.pop("namespace")
        apply_manifests(api, manifests, namespace=namespace)
    except (SafeYamlError, ApplyError) as exc:
        return str(exc)
    record_applied(session, text)
    return ""


def _run(session, source, args, kubeconfig_path, namespace) -> str:
    """One console command again, with the new sandbox's credentials, as the console worker
    would run it; recorded on the new session so a later resume replays it too."""
    from labs.console import runner
    from labs.console.policy import time_limit
    from labs.console.services import UNREACHABLE, is_unreachable

    args = in_sandbox(args, source.namespace, namespace)
    command = "kubectl " + shlex.join(args)
    try:
        result = runner.run_kubectl(args, kubeconfig_path, seconds=time_limit(args))
    except (runner.KubectlMissing, OSError):
        return f"{command}: 서버의 kubectl을 실행하지 못했습니다."
    if result.exit_code != 0 or result.timed_out:
        output = UNREACHABLE if is_unreachable(result.output) else result.output.strip()
        return f"{command}: {output.splitlines()[-1] if output else f'종료 코드 {result.exit_code}'}"
    now = timezone.now()
    ConsoleCommand.objects.create(
        session=session,
        command=command,
        args=args,
        state=ConsoleCommand.State.DONE,
        output=result.output,
        exit_code=0,
        duration_ms=result.duration_ms,
        created_at=now,
        started_at=now,
        finished_at=now,
    )
    return ""


def in_sandbox(args: list[str], old: str | None, new: str | None) -> list[str]:
    """The command with the old sandbox's namespace, where the student named it, made the new one."""
    if not old or not new or old == new:
        return list(args)
    out, rename = [], False
    for arg in args:
        if rename and arg == old:
            arg = new
        elif arg in (f"--namespace={old}", f"-n={old}", f"-n{old}"):
            arg = arg[: -len(old)] + new
        rename = arg in ("-n", "--namespace")
        out.append(arg)
    return out
