"""Warm pools of dedicated clusters (kwok and kind): which session took which cluster.

A pool cluster's folder gets a `session` file created with O_EXCL, so two workers can never
hand the same warm cluster to two sessions, and a restarted worker reads who owns what.
"""

import contextlib
import fcntl
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)
SESSION = "session"


def claim(folder: Path, session_id: int) -> bool:
    try:
        fd = os.open(folder / SESSION, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(str(session_id))
    return True


def owner(folder: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int((folder / SESSION).read_text().strip())
    return None


def refill(folder: Path, size: int, free, make, discard, sweep) -> int:
    """Make clusters until `free()` lists `size` of them; one refiller per host at a time
    (a second one returns 0 at once). `make(name)` builds one, `discard(name)` removes a
    half-made one; a failure stops this round, the next refill tries again.

    `sweep()` first removes pool clusters that never became ready: only a refiller makes
    them, under this lock, so one found unready while we hold it was left by a refiller
    that died mid-way (a worker killed, a host restarted), and nothing else would ever
    remove it."""
    lock = open(folder / ".pool.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return 0
    started = 0
    try:
        sweep()
        while len(free()) < size:
            name = f"pool-{secrets.token_hex(4)}"
            try:
                make(name)
            except Exception:
                log.exception("could not make pool cluster %s in %s", name, folder)
                with contextlib.suppress(Exception):
                    discard(name)
                break
            started += 1
    finally:
        lock.close()
    return started
