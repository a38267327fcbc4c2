"""Capacity per provider, and the queue of sessions waiting for room."""

from django.conf import settings
from django.db.models import Q

from labs.models import LabSession

S = LabSession.State


def occupying(provider: str):
    """Sessions that hold (or are about to hold) a sandbox of this provider."""
    return LabSession.objects.filter(provider=provider).filter(
        Q(state__in=[S.PROVISIONING, S.READY, S.ENDING]) | Q(state=S.REQUESTED, waiting=False)
    )


def limit(provider: str) -> int:
    return settings.LAB_CAPACITY.get(provider, 0)


def has_room(provider: str) -> bool:
    return occupying(provider).count() < limit(provider)


def queue_position(session) -> int | None:
    """1 for the next in line; None when not waiting."""
    if not (session.waiting and session.state == S.REQUESTED):
        return None
    ahead = LabSession.objects.filter(provider=session.provider, state=S.REQUESTED, waiting=True).filter(
        Q(created_at__lt=session.created_at) | Q(created_at=session.created_at, pk__lt=session.pk)
    )
    return ahead.count() + 1


def promote(provider: str) -> list[int]:
    """Let waiting sessions in, oldest first, while there is room; queue their provisioning."""
    from labs.sandbox.tasks import enqueue_provision

    room = limit(provider) - occupying(provider).count()
    promoted = []
    if room <= 0:
        return promoted
    waiting = LabSession.objects.filter(provider=provider, state=S.REQUESTED, waiting=True).order_by(
        "created_at", "pk"
    )
    for pk in waiting.values_list("pk", flat=True)[:room]:
        if LabSession.objects.filter(pk=pk, state=S.REQUESTED, waiting=True).update(waiting=False):
            enqueue_provision(pk)
            promoted.append(pk)
    return promoted
