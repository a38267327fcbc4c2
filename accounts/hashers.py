"""Password hashing that cannot starve page serving: at most N hashes at once per host.

A PBKDF2 check costs ~1.6 s of CPU here (Django's default iterations, which we keep:
cheaper hashing is not an answer). Twenty students logging in at the start of a class
would otherwise take every core from the people reading lessons. Each hash takes a
host-wide slot first: an flock'd file under the state folder, shared by every gunicorn
process and thread on this host and released by the kernel if a process dies. With the
default of half the cores, the other half always serves pages. And at most
LOGIN_THREADS_PER_PROCESS request threads per process are ever inside a login (login_turn),
so the other threads stay free for readers.
"""

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class HashingBusy(RuntimeError):
    """Every slot stayed taken for LOGIN_HASH_WAIT_SECONDS (the login view answers 503)."""


def _slot_dir() -> Path:
    path = Path(settings.KUBAEUM_STATE_DIR) / "hash-slots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def hashing_slot():
    folder = _slot_dir()
    deadline = time.monotonic() + settings.LOGIN_HASH_WAIT_SECONDS
    while True:
        for index in range(settings.LOGIN_HASH_SLOTS):
            fd = os.open(folder / f"slot-{index}", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield
                return
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        if time.monotonic() > deadline:
            raise HashingBusy("every hashing slot is taken")
        time.sleep(0.02)


# Per process: how many request threads may be inside a login or sign-up at once. The
# others are answered 503 at once instead of waiting, because a thread waiting for a
# hashing slot is a thread no reader gets (gunicorn runs a handful per process).
_login_threads = threading.BoundedSemaphore(max(1, int(os.environ.get("LOGIN_THREADS_PER_PROCESS", "1"))))


@contextmanager
def login_turn():
    """Raises HashingBusy at once when this process already has its login threads busy."""
    if not _login_threads.acquire(blocking=False):
        raise HashingBusy("this process is already checking a password")
    try:
        yield
    finally:
        _login_threads.release()


class SlottedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 (same algorithm name, same hashes), one slot per hash."""

    def encode(self, password, salt, iterations=None):
        with hashing_slot():
            return super().encode(password, salt, iterations)
