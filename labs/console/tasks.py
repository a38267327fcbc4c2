"""The console's Celery task: thin, the work is in services.execute.

It runs on its own queue (`console`, CELERY_TASK_ROUTES) served by its own worker, so a
burst of slow kubectl commands never delays provisioning or grading, and no web thread
waits for one.
"""

from celery import shared_task

from .runner import TIMEOUT_SECONDS

__all__ = ["run_command"]


@shared_task(
    name="labs.console_run",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=TIMEOUT_SECONDS + 10,
    time_limit=TIMEOUT_SECONDS + 20,
)
def run_command(command_id: int) -> None:
    from .services import execute

    execute(command_id)
