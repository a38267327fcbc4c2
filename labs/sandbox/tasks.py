"""Celery tasks for sandboxes: provision, end, reap (thin: load by id, call a service).

Queued after the row is committed. Publishing never breaks a web request: if the
broker is down the row simply stays `requested`/`ending` and the reaper re-queues it.
"""

import logging
import time

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings

from kubaeum.queueing import send_on_commit
from labs.providers import ProviderError
from labs.sandbox.errors import RetryLater

log = logging.getLogger(__name__)
PROVISION_HARD_LIMIT = max(60, settings.LAB_PROVISION_TIMEOUT_SECONDS - 10)
RETRY_MAX_DELAY = 15

__all__ = [
    "provision",
    "end",
    "reap",
    "refill_kwok_pool",
    "refill_kind_pool",
    "enqueue_provision",
    "enqueue_end",
]


@shared_task(
    name="labs.provision",
    bind=True,
    acks_late=True,
    # Derived from LAB_PROVISION_TIMEOUT_SECONDS: by the time the reaper treats a
    # provisioning row as stuck, the worker's own attempt has already been stopped.
    soft_time_limit=PROVISION_HARD_LIMIT - 20,
    time_limit=PROVISION_HARD_LIMIT,
    # The retry window is LAB_PROVISION_RETRY_SECONDS, enforced below; retry(max_retries=None)
    # alone would fall back to Celery's default of 3 and give up after 7 s.
    max_retries=None,
)
def provision(self, session_id: int, first_try: float | None = None) -> str:
    """Provision; a transient failure (API server down or restarting, a namespace of the
    same name still terminating) is retried with backoff — 1, 2, 4, 8, then every 15 s —
    until LAB_PROVISION_RETRY_SECONDS have passed since the first try, then fails."""
    from labs.sandbox.lifecycle import provision_session

    first_try = first_try or time.time()
    delay = min(RETRY_MAX_DELAY, 2**self.request.retries)
    final = time.time() - first_try + delay > settings.LAB_PROVISION_RETRY_SECONDS
    try:
        return provision_session(session_id, final=final, retry_in=delay)
    except RetryLater as e:
        raise self.retry(
            countdown=delay,
            max_retries=None,
            args=(),
            kwargs={"session_id": session_id, "first_try": first_try},
            exc=e,
        ) from e


@shared_task(
    name="labs.end",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(ProviderError,),
    max_retries=6,
    retry_backoff=2,
    retry_backoff_max=60,
)
def end(session_id: int) -> str:
    from labs.sandbox.lifecycle import finish_end

    return finish_end(session_id)


@shared_task(name="labs.reap", acks_late=True, soft_time_limit=50, time_limit=60)
def reap() -> dict:
    from labs.sandbox.reaper import reap as run

    return run()


@shared_task(name="labs.refill_kwok_pool", acks_late=True, soft_time_limit=280, time_limit=300)
def refill_kwok_pool() -> int:
    from labs.providers.kwok import refill_pool

    return refill_pool()


@shared_task(name="labs.refill_kind_pool", acks_late=True, soft_time_limit=850, time_limit=900)
def refill_kind_pool() -> int:
    from labs.providers.kind import refill_pool

    return refill_pool()


def enqueue_provision(session_id: int) -> None:
    # Not queued (broker down): the reaper re-queues requested rows.
    send_on_commit(provision, session_id)


def enqueue_end(session_id: int) -> None:
    send_on_commit(end, session_id)


@worker_init.connect
def _preload_kubernetes_client(**_):
    # In the parent, before the pool forks: every child starts with the classes built.
    from labs.providers.namespace import preload

    preload()
