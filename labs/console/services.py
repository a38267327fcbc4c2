"""The console's protocol: the web request checks and queues; a console worker runs; the page polls.

1. `start_command` (web request): the policy check, the session check, a slot in Redis (one
   command per session, LAB_CONSOLE_PER_STUDENT per student, across every process and
   host), a `queued` ConsoleCommand row, and a task on the `console` queue. Nothing waits.
2. `execute` (console worker): runs kubectl with the session's kubeconfig, stores the output
   and frees the slot.
3. `refresh` (each poll): a command no worker took in time, or whose worker died, is ended
   here with a Korean reason, so the page never polls forever.
"""

import logging
import re
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kubaeum.errors import UserError
from kubaeum.queueing import send_on_commit
from labs.models.console import ConsoleCommand
from labs.providers import get_provider
from labs.sandbox.services import SessionError, record_activity, session_kubeconfig

from . import runner, slots
from .policy import CommandRefused, check_command, time_limit, wants_watch

log = logging.getLogger(__name__)

MAX_LOGGED = 1000  # characters of the command kept in the log
# A queued command no worker has taken after this long is given up (the broker lost it,
# or no console worker runs).
QUEUE_SECONDS = 30
# A slot is held at most this long; a worker that died mid-command frees it by expiring.
SLOT_SECONDS = QUEUE_SECONDS + runner.TIMEOUT_SECONDS + 10
S = ConsoleCommand.State

KWOK_NOTE = (
    "참고: 이 실습 클러스터의 노드는 kwok이 흉내 낸 가상 노드라 실제 컨테이너가 없습니다. "
    "그래서 로그를 보거나 컨테이너 안에서 명령을 실행할 수 없습니다. 파드의 상태는 "
    "kubectl describe pod 이름으로 확인하세요."
)
UNREACHABLE = (
    "실습 클러스터에 연결하지 못했습니다. 잠시 뒤 다시 실행하세요. 계속 안 되면 세션을 끝내고 "
    "새로 시작하세요."
)
LOST = "콘솔 작업자가 이 명령을 처리하지 못했습니다. 잠시 뒤 다시 실행하세요."
# What kubectl prints when it cannot reach or trust the API server. Its own words name
# internal addresses and ports, so the student gets UNREACHABLE instead.
_UNREACHABLE = re.compile(
    r"Unable to connect to the server|The connection to the server .* was refused|dial tcp |"
    r"x509: |tls: failed to verify|TLS handshake timeout|no such host|connect: connection refused|"
    # Any transport error Go reports for a request (`Post "https://10.0.0.1:6443/…": EOF`,
    # a reset, a timeout), quoted as is or inside kubectl's own log line (\"…\").
    r'(?:Get|Post|Put|Patch|Delete|Head) \\?"https?://|current server API group list',
)


def is_unreachable(output: str) -> bool:
    """kubectl's own words for a server it cannot reach (they name internal hosts)."""
    return bool(_UNREACHABLE.search(output))


class SessionNotUsable(UserError):
    status = 409


class CommandBusy(UserError):
    """The session's previous command is still running (one at a time, like a terminal),
    or the student already runs as many as they may."""

    status = 429


class ConsoleUnavailable(UserError):
    """Redis (the shared slots) does not answer."""

    status = 503


def start_command(session, text: str) -> ConsoleCommand:
    """Raises CommandRefused (nothing queued), SessionNotUsable, CommandBusy or ConsoleUnavailable."""
    args = check_command(text)
    if not session.is_usable:
        raise SessionNotUsable("실습 세션이 끝났거나 아직 준비되지 않았습니다. 세션을 다시 시작하세요.")
    with transaction.atomic():
        command = ConsoleCommand.objects.create(
            session=session, command=text.strip()[:MAX_LOGGED], args=args, state=S.QUEUED
        )
        try:
            taken = slots.acquire(session.pk, session.user_id, str(command.pk), SLOT_SECONDS, time.time())
        except slots.SlotsUnavailable:
            raise ConsoleUnavailable("지금은 콘솔을 쓸 수 없습니다. 잠시 뒤 다시 시도하세요.") from None
        if taken == slots.SESSION_BUSY:
            raise CommandBusy("이전 명령이 아직 실행 중입니다. 끝난 뒤 다시 실행하세요.")
        if taken == slots.STUDENT_BUSY:
            raise CommandBusy(
                f"다른 실습 세션에서 명령이 실행 중입니다. 한 사람이 동시에 {settings.LAB_CONSOLE_PER_STUDENT}개까지 "
                "실행할 수 있습니다. 끝난 뒤 다시 실행하세요."
            )
        record_activity(session)
        _send(command)
    return command


def _send(command: ConsoleCommand) -> None:
    from .tasks import run_command

    # The broker is down: say so now rather than after QUEUE_SECONDS of polling.
    send_on_commit(
        run_command,
        command.pk,
        on_failure=lambda: _finish_failed(
            command.pk, [S.QUEUED], "unavailable", "지금은 콘솔을 쓸 수 없습니다. 잠시 뒤 다시 시도하세요."
        ),
    )


def execute(command_id: int) -> None:
    """Run one queued command (in a console worker). A redelivered or given-up one is skipped."""
    now = timezone.now()
    if not ConsoleCommand.objects.filter(pk=command_id, state=S.QUEUED).update(
        state=S.RUNNING, started_at=now
    ):
        return
    command = ConsoleCommand.objects.select_related("session").get(pk=command_id)
    session = command.session
    try:
        with session_kubeconfig(session) as kubeconfig:
            result = runner.run_kubectl(
                command.args, kubeconfig, watch=wants_watch(command.args), seconds=time_limit(command.args)
            )
    except SessionError as exc:
        _finish_failed(command_id, [S.RUNNING], "ended", str(exc))
        return
    except (runner.KubectlMissing, OSError):
        _finish_failed(
            command_id,
            [S.RUNNING],
            "unavailable",
            "지금은 콘솔을 쓸 수 없습니다 (서버의 kubectl을 실행하지 못했습니다). 잠시 뒤 다시 시도하세요.",
        )
        return
    finally:
        slots.release(session.pk, session.user_id, str(command_id))
    output, problem = result.output, ""
    if (result.exit_code != 0 or result.timed_out) and is_unreachable(output):
        # Cut off while it retried an unreachable server, too: its partial output names it.
        output, problem = UNREACHABLE, "unreachable"
    elif result.timed_out and not wants_watch(command.args):
        problem = "timeout"
    elif (
        result.exit_code != 0
        and _needs_containers(command.args)
        and not get_provider(session.provider).containers
    ):
        # Only a provider without real containers (kwok nodes) explains a missing log this way.
        output = output.rstrip("\n") + "\n\n" + KWOK_NOTE
    ConsoleCommand.objects.filter(pk=command_id, state=S.RUNNING).update(
        state=S.DONE,
        output=output,
        exit_code=result.exit_code,
        problem=problem,
        duration_ms=result.duration_ms,
        finished_at=timezone.now(),
    )


def _needs_containers(args: list[str]) -> bool:
    return bool({"logs", "exec"} & set(args[:3]))


def refresh(command: ConsoleCommand) -> ConsoleCommand:
    """The command as the page should show it now; ends one that no worker will finish."""
    if command.is_finished:
        return command
    now = timezone.now()
    if command.state == S.QUEUED and command.created_at < now - timedelta(seconds=QUEUE_SECONDS):
        _finish_failed(command.pk, [S.QUEUED], "lost", LOST)
    elif (
        command.state == S.RUNNING
        and command.started_at is not None
        and command.started_at < now - timedelta(seconds=SLOT_SECONDS)
    ):
        _finish_failed(command.pk, [S.RUNNING], "lost", LOST)
    command.refresh_from_db()
    return command


def _finish_failed(command_id: int, states, problem: str, message: str) -> None:
    done = ConsoleCommand.objects.filter(pk=command_id, state__in=states).update(
        state=S.FAILED, output=message, problem=problem, finished_at=timezone.now()
    )
    if done:
        command = ConsoleCommand.objects.select_related("session").get(pk=command_id)
        slots.release(command.session_id, command.session.user_id, str(command_id))


__all__ = [
    "CommandBusy",
    "CommandRefused",
    "ConsoleUnavailable",
    "SessionNotUsable",
    "execute",
    "refresh",
    "start_command",
]
