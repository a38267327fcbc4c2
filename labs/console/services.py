"""One console request: check, run with the session's kubeconfig, log, count as activity."""

from dataclasses import dataclass

from django.core.cache import cache

from labs.models.console import ConsoleCommand
from labs.providers import get_provider
from labs.sandbox.services import SessionError, record_activity, session_kubeconfig

from . import runner
from .policy import CommandRefused, check_command, wants_watch

MAX_LOGGED = 1000  # characters of the command kept in the log

KWOK_LOGS_NOTE = (
    "참고: 이 실습 클러스터의 노드는 kwok이 흉내 낸 가상 노드라 실제 컨테이너가 없습니다. "
    "그래서 로그가 없을 수 있습니다. Pod의 상태는 kubectl describe pod 이름으로 확인하세요."
)


class SessionNotUsable(ValueError):
    pass


class CommandBusy(ValueError):
    """The session's previous command is still running (one at a time, like a terminal)."""


@dataclass
class ConsoleAnswer:
    command: str
    output: str
    exit_code: int
    duration_ms: int


def run_console_command(session, text: str) -> ConsoleAnswer:
    """Raises CommandRefused (nothing ran) or SessionNotUsable."""
    args = check_command(text)
    if not session.is_usable:
        raise SessionNotUsable("실습 세션이 끝났거나 아직 준비되지 않았습니다. 세션을 다시 시작하세요.")
    # A per-session lock (as wide as the cache: one process with the default LocMemCache)
    # so a held-down Enter key cannot start a pile of kubectl processes.
    lock = f"kubaeum:console-busy:{session.pk}"
    if not cache.add(lock, 1, timeout=runner.TIMEOUT_SECONDS + 5):
        raise CommandBusy("이전 명령이 아직 실행 중입니다. 끝난 뒤 다시 실행하세요.")
    try:
        record_activity(session)
        with session_kubeconfig(session) as kubeconfig:
            result = runner.run_kubectl(args, kubeconfig, watch=wants_watch(args))
    except SessionError as exc:
        raise SessionNotUsable(str(exc)) from None
    finally:
        cache.delete(lock)
    output = result.output
    # Only a provider without real containers (kwok nodes) explains a missing log this way.
    if result.exit_code != 0 and "logs" in args[:3] and not get_provider(session.provider).containers:
        output = output.rstrip("\n") + "\n\n" + KWOK_LOGS_NOTE
    text = text.strip()
    ConsoleCommand.objects.create(
        session=session, command=text[:MAX_LOGGED], exit_code=result.exit_code, duration_ms=result.duration_ms
    )
    return ConsoleAnswer(text, output, result.exit_code, result.duration_ms)


__all__ = ["CommandBusy", "CommandRefused", "SessionNotUsable", "run_console_command"]
