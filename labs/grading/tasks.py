"""Celery task for grading: grade."""
