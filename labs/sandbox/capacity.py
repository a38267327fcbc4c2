"""Capacity per provider, and the queue of sessions waiting for room."""

import zlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from labs.models import LabSession

S = LabSession.State


def occupying(provider: str):
    """Sessions that hold (or are about to hold) a sandbox of this provider."""
    return LabSession.objects.filter(provider=provider).occupying()


def limit(provider: str) -> int:
    return settings.LAB_CAPACITY.get(provider, 0)


def serialize(provider: str) -> None:
    """Inside a transaction: make count-then-create on this provider's capacity atomic.

    SQLite transactions here begin IMMEDIATE (settings), which already takes the write
    lock at BEGIN; PostgreSQL needs an explicit lock, held until the transaction ends.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"kubaeum-capacity-{provider}".encode())]
            )


def has_room(provider: str) -> bool:
    return occupying(provider).count() < limit(provider)


def queue_position(session) -> int | None:
    """1 for the next in line; None when not waiting."""
    if not (session.waiting and session.state == S.REQUESTED):
        return None
    ahead = (
        LabSession.objects.filter(provider=session.provider)
        .waiting()
        .filter(Q(created_at__lt=session.created_at) | Q(created_at=session.created_at, pk__lt=session.pk))
    )
    return ahead.count() + 1


def promote(provider: str) -> list[int]:
    """Let waiting sessions in, oldest first, while there is room; queue their provisioning."""
    from labs.sandbox.tasks import enqueue_provision

    promoted: list[int] = []
    with transaction.atomic():
        serialize(provider)
        room = limit(provider) - occupying(provider).count()
        if room <= 0:
            return promoted
        waiting = LabSession.objects.filter(provider=provider).waiting()
        for pk in waiting.values_list("pk", flat=True)[:room]:
            if LabSession.objects.filter(pk=pk, state=S.REQUESTED, waiting=True).update(waiting=False):
                enqueue_provision(pk)
                promoted.append(pk)
    return promoted
