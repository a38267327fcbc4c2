"""Fixtures for grading tests: labs synced from content/labs, sandboxes on the real cluster."""

import uuid

import pytest
from django.conf import settings

from labs.content import sync_labs
from labs.models import Lab, LabSession


@pytest.fixture(autouse=True)
def _sandbox_names(settings):
    # Row ids repeat after each test's rollback while deleted namespaces linger: unique names.
    tag = uuid.uuid4().hex[:6]
    settings.LAB_NAMESPACE_PREFIX = f"gr-{tag}-"
    settings.LAB_CLUSTER_PREFIX = f"gr-{tag}-"
    settings.LAB_KWOK_POOL_SIZE = 0


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
def ready_session(request, labs, settings):
    """Provision real namespace sandboxes in-process (provider, RBAC, setup all real)."""
    from labs.providers import get_provider
    from labs.sandbox.lifecycle import provision_session

    cluster = request.getfixturevalue("cluster")
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    made = []

    def make(user, slug="first-pod") -> LabSession:
        session = LabSession.objects.create(user=user, lab=labs[slug], provider="namespace")
        assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
        session.refresh_from_db()
        made.append(session)
        return session

    yield make
    for session in made:
        get_provider("namespace").destroy(session)
