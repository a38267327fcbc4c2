"""Celery tasks for grading: grade (thin: the work is in services.grade_submission)."""

import logging

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)

__all__ = ["grade", "requeue_gradings", "enqueue_grade"]


@shared_task(name="labs.grade", acks_late=True, time_limit=90, soft_time_limit=60, ignore_result=True)
def grade(submission_id: int) -> None:
    from .services import grade_submission

    grade_submission(submission_id)


@shared_task(name="labs.grade_requeue", acks_late=True, time_limit=60, ignore_result=True)
def requeue_gradings() -> int:
    from .services import requeue_stale

    return requeue_stale()


def enqueue_grade(submission_id: int) -> None:
    """Like grade.delay_on_commit, but a broker outage leaves the row queued (re-sent later)
    instead of turning the student's click into a 500."""

    def send():
        try:
            grade.apply_async(args=(submission_id,), retry=False)
        except Exception:
            log.warning(
                "broker unavailable: grading %s not queued; requeue_gradings will send it", submission_id
            )

    transaction.on_commit(send)
