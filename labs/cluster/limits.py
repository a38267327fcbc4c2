"""A memory ceiling for one local cluster's processes (cgroup v1 memory controller).

All five processes of a cluster share one cgroup, nested under the memory cgroup of the
process that starts the cluster (<its cgroup>/kubaeum/<name>), so the ceiling adds to
whatever limits the platform itself runs under and never escapes them. The kernel
enforces it: a student who makes their control plane grow has it OOM-killed inside its own
ceiling instead of starving the machine, and the reaper ends that session with a Korean
reason (labs/providers/kwok.py). Where the memory controller cannot be written (no cgroup
v1 memory hierarchy, not allowed), confine() returns None and the reaper's watchdog
compares resident memory against the same limit instead.
"""

import contextlib
import os
from pathlib import Path

ROOT = Path("/sys/fs/cgroup/memory")


def _own_group() -> Path:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                return ROOT / path.lstrip("/")
    return ROOT


def confine(name: str, pids: list[int], limit_bytes: int) -> Path | None:
    """Put `pids` into a cgroup of their own limited to `limit_bytes`; its path, or None."""
    if not limit_bytes or not (ROOT / "memory.limit_in_bytes").exists():
        return None
    group = _own_group() / "kubaeum" / name
    try:
        group.mkdir(parents=True, exist_ok=True)
        (group / "memory.limit_in_bytes").write_text(str(limit_bytes))
        # Swap would only move the overrun elsewhere: memory + swap share the ceiling.
        with contextlib.suppress(OSError):
            (group / "memory.memsw.limit_in_bytes").write_text(str(limit_bytes))
        for pid in pids:
            with contextlib.suppress(OSError):
                (group / "cgroup.procs").write_text(str(pid))
    except OSError:
        return None
    return group


def oom_kills(group: Path | None) -> int:
    """How many of the cluster's processes the kernel killed at its ceiling."""
    if group is None:
        return 0
    with contextlib.suppress(OSError, ValueError):
        for line in (group / "memory.oom_control").read_text().splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
    return 0


def usage(group: Path | None) -> int | None:
    if group is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        return int((group / "memory.usage_in_bytes").read_text())
    return None


def release(group: Path | None) -> None:
    """Remove the cgroup once its processes are gone."""
    if group and os.path.isdir(group):
        with contextlib.suppress(OSError):
            group.rmdir()
