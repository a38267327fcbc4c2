# Celery discovers tasks here; each concern keeps its tasks in its own module.
from labs.console.tasks import *  # noqa: F401,F403  console_run
from labs.grading.tasks import *  # noqa: F401,F403  grade
from labs.sandbox.tasks import *  # noqa: F401,F403  provision, end, reap
