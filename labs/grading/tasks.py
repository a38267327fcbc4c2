"""Celery tasks for grading: grade (thin: the work is in services.grade_submission)."""

import logging

from celery import shared_task

from kubaeum.queueing import send_on_commit

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
    # Not queued (broker down): the row stays queued and requeue_gradings sends it.
    send_on_commit(grade, submission_id)
