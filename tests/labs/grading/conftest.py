"""Fixtures for grading tests: labs synced from content/labs, sandboxes on the real cluster."""

import pytest
from django.conf import settings

from labs.content import sync_labs
from labs.models import Lab


@pytest.fixture(autouse=True)
def _sandbox_names(unique_sandbox_names):
    unique_sandbox_names("gr")


@pytest.fixture
def labs(db):
    sync_labs(settings.CONTENT_DIR)
    return {lab.slug: lab for lab in Lab.objects.all()}


@pytest.fixture
def file_lab(labs):
    return labs["dockerfile-http-server"]


@pytest.fixture
def compose_lab(labs):
    return labs["compose-two-services"]


@pytest.fixture
def ready_session(labs, provision):
    """Factory: ready_session(user, slug) → a real namespace sandbox of that lab."""

    def make(user, slug="first-pod"):
        return provision(user, labs[slug])

    return make
