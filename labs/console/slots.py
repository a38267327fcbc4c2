"""Who may start a console command now: one per session, a few per student, on every host.

The counts live in Redis (shared by every web process and host), not in process memory:
with several gunicorn processes a per-process lock let one session run one command per
process. Each slot carries an expiry, so a worker that dies mid-command frees its slot
by itself after the longest a command may take.
"""

from functools import cache

import redis
from django.conf import settings

# KEYS: the session's lock, the student's set of running commands.
# ARGV: token (the command id), lifetime in seconds, now (unix seconds), the per-student cap.
# Returns 0 (taken), 1 (the session is busy), 2 (the student is at the cap).
_ACQUIRE = """
if redis.call('exists', KEYS[1]) == 1 then return 1 end
redis.call('zremrangebyscore', KEYS[2], '-inf', ARGV[3])
if redis.call('zcard', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('zadd', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[1])
redis.call('expire', KEYS[2], ARGV[2])
return 0
"""
# Frees only the slot this command holds (an expired slot may already belong to another).
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
redis.call('zrem', KEYS[2], ARGV[1])
return 0
"""

TAKEN, SESSION_BUSY, STUDENT_BUSY = 0, 1, 2


class SlotsUnavailable(RuntimeError):
    """Redis does not answer: no command can be started safely."""


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _keys(session_id: int, user_id: int) -> list[str]:
    return [f"kubaeum:console:session:{session_id}", f"kubaeum:console:student:{user_id}"]


def acquire(session_id: int, user_id: int, token: str, lifetime: int, now: float) -> int:
    try:
        client = _client(settings.REDIS_URL)
        return int(
            client.eval(
                _ACQUIRE,
                2,
                *_keys(session_id, user_id),
                token,
                lifetime,
                now,
                settings.LAB_CONSOLE_PER_STUDENT,
            )
        )
    except redis.RedisError as exc:
        raise SlotsUnavailable(str(exc)) from None


def release(session_id: int, user_id: int, token: str) -> None:
    try:
        _client(settings.REDIS_URL).eval(_RELEASE, 2, *_keys(session_id, user_id), token)
    except redis.RedisError:
        pass  # the slot expires by itself
