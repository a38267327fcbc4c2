"""Sending Celery tasks after the transaction that created their row commits.

Every task here is found again from its row (the database is the truth), so a message the
broker never got is not lost work: a periodic task re-sends it. A broker outage must
therefore never turn the student's click into a 500; it is logged and, where the caller
can say something better than "wait", reported through `on_failure`.
"""

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

# One quick retry covers a broker connection that was just dropped; anything longer would
# hold the web request that is committing.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def send_on_commit(task, *args, on_failure: Callable[[], None] | None = None) -> None:
    def send():
        try:
            task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:
            log.warning("broker unavailable: %s%s not queued", task.name, args)
            if on_failure is not None:
                on_failure()

    transaction.on_commit(send)


def send_now(task, *args) -> bool:
    """Send outside any transaction: the reaper's re-sends and warm-pool refills. No retry,
    since the next round finds the row again; a broker outage is logged, never raised, so
    one lost message does not stop the others. False when it was not queued."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        log.warning("broker unavailable: %s%s not queued", task.name, args)
        return False
    return True
