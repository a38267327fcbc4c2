"""Run one already-checked kubectl argument list, with nothing of ours in its environment.

No shell, no inherited environment: PATH points at an empty directory (so kubectl finds
no plugins), HOME is a fresh temporary directory (so its cache is thrown away), and
KUBECONFIG is the session's own file. stdin is closed.
"""

import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from labs.cluster.binaries import BinariesMissing as KubectlMissing  # noqa: F401  (views catch it)
from labs.cluster.binaries import kubectl_path

TIMEOUT_SECONDS = 20
MAX_OUTPUT = 64 * 1024
TRUNCATED_NOTE = (
    "\n… (출력이 64KB를 넘어 여기서 잘랐습니다. -l, --field-selector, -o name 등으로 범위를 좁혀 보세요.)"
)
TIMEOUT_EXIT = 124
# `kubectl get -w` never ends by itself: we watch this long and show what happened.
WATCH_SECONDS = 5
WATCH_NOTE = "\n… (-w: 5초 동안 지켜본 뒤 멈췄습니다. 더 보려면 다시 실행하세요.)"

# How many times run_kubectl was entered in this process: tests read it to prove that a
# refused command never reached this module.
invocations = 0


@dataclass
class Result:
    output: str
    exit_code: int
    duration_ms: int
    truncated: bool = False
    timed_out: bool = False


def cache_dir() -> Path:
    path = Path(settings.KUBAEUM_STATE_DIR) / "kubectl-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_kubectl(args: list[str], kubeconfig: Path, watch: bool = False, seconds: int | None = None) -> Result:
    """`seconds` shortens the limit for commands that wait or stream (policy.time_limit)."""
    global invocations
    invocations += 1
    binary = kubectl_path()
    with tempfile.TemporaryDirectory(prefix="kubaeum-console-") as home:
        empty_path = Path(home) / "bin"
        empty_path.mkdir()
        env = {
            "PATH": str(empty_path),
            "HOME": home,
            "KUBECONFIG": str(kubeconfig),
            "LANG": "C.UTF-8",
            # API discovery cached per API server across commands (it holds no credentials);
            # without it every command walks every API group first.
            "KUBECACHEDIR": str(cache_dir()),
        }
        limit = WATCH_SECONDS if watch else (seconds or TIMEOUT_SECONDS)
        started = time.monotonic()
        try:
            done = subprocess.run(
                [binary, *args],
                env=env,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=limit,
                check=False,
            )
            raw, code, timed_out = done.stdout, done.returncode, False
        except subprocess.TimeoutExpired as exc:
            # A bounded watch ending on time is the expected outcome, not a failure.
            raw, code, timed_out = exc.stdout or b"", 0 if watch else TIMEOUT_EXIT, True
        duration_ms = int((time.monotonic() - started) * 1000)
    truncated = len(raw) > MAX_OUTPUT
    output = raw[:MAX_OUTPUT].decode("utf-8", errors="replace")
    if truncated:
        output += TRUNCATED_NOTE
    if timed_out:
        output += WATCH_NOTE if watch else f"\n… ({limit}초 안에 끝나지 않아 명령을 중단했습니다.)"
    return Result(output, code, duration_ms, truncated, timed_out)
