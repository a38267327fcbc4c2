"""Liveness leases in Redis: "a worker is provisioning this session right now".

A worker killed mid-task leaves its message unacked until Redis's visibility timeout, and
its row in `provisioning` until LAB_PROVISION_TIMEOUT_SECONDS: minutes for a student to
wait. While it works, the worker keeps a short lease alive (renewed by a thread); the
reaper rescues a `provisioning` row whose lease has lapsed after LEASE_SECONDS. The lease
is only a hint: without Redis the reaper falls back to the timeout, and the row stays the
truth.
"""

import contextlib
import logging
import os
import threading

import redis
from django.conf import settings

log = logging.getLogger(__name__)
LEASE_SECONDS = 15
RENEW_EVERY = 5

_clients: dict[tuple[int, str], redis.Redis] = {}


def _redis() -> redis.Redis:
    url = (
        settings.CELERY_BROKER_URL
        if str(settings.CELERY_BROKER_URL).startswith("redis")
        else settings.REDIS_URL
    )
    key = (os.getpid(), url)  # a forked worker child must not share its parent's sockets
    if key not in _clients:
        _clients[key] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[key]


def _key(kind: str, pk: int) -> str:
    from labs.sandbox.identity import instance_id

    return f"kubaeum:lease:{kind}:{instance_id()}:{pk}"


@contextlib.contextmanager
def hold(kind: str, pk: int):
    """Keep the lease alive for the duration of the block (best effort)."""
    key, stop = _key(kind, pk), threading.Event()

    def renew():
        while True:
            with contextlib.suppress(redis.RedisError):
                _redis().set(key, os.getpid(), ex=LEASE_SECONDS)
            if stop.wait(RENEW_EVERY):
                return

    renew_thread = threading.Thread(target=renew, name=f"lease-{pk}", daemon=True)
    renew_thread.start()
    try:
        yield
    finally:
        stop.set()
        renew_thread.join(5)
        with contextlib.suppress(redis.RedisError):
            _redis().delete(key)


def held(kind: str, pks: list[int]) -> set[int] | None:
    """Which of `pks` hold a live lease; None when Redis cannot say."""
    if not pks:
        return set()
    try:
        values = _redis().mget([_key(kind, pk) for pk in pks])
    except redis.RedisError:
        log.warning("cannot read leases; falling back to the provisioning timeout")
        return None
    return {pk for pk, value in zip(pks, values, strict=True) if value is not None}
