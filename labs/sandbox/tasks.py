"""Celery tasks for sandboxes: provision, end, reap."""
