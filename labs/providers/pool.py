"""Warm pools of dedicated clusters (kwok and kind): which session took which cluster.

A pool cluster's folder gets a `session` file created with O_EXCL, so two workers can never
hand the same warm cluster to two sessions, and a restarted worker reads who owns what.
"""

import contextlib
import os
from pathlib import Path

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
