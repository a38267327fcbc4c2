"""Fixtures shared by the lab tests: unique sandbox names, the real cluster, provisioning."""

import uuid

import pytest

from labs.models import LabSession


@pytest.fixture
def unique_sandbox_names(settings):
    """Call with a prefix to give this test's sandboxes names no other test uses.

    Test databases reuse row ids after each rollback, while a deleted namespace lingers
    in Terminating for a moment (and several pytest processes share one cluster).
    """

    def use(prefix: str) -> None:
        tag = uuid.uuid4().hex[:6]
        settings.LAB_NAMESPACE_PREFIX = f"{prefix}-{tag}-"
        settings.LAB_CLUSTER_PREFIX = f"{prefix}-{tag}-"
        settings.LAB_KWOK_POOL_SIZE = 0

    return use


@pytest.fixture
def lab_cluster(request, settings):
    """The shared lab cluster's admin kubeconfig (the lead's session-scoped `cluster`)."""
    cluster = request.getfixturevalue("cluster")
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    return cluster


@pytest.fixture
def provision(lab_cluster):
    """Factory: provision(user, lab) → a ready session, provisioned in-process; destroyed after.

    The provider, RBAC, setup objects and API server are all real; no worker is needed.
    """
    from labs.providers import get_provider
    from labs.sandbox.lifecycle import provision_session

    made = []

    def make(user, lab) -> LabSession:
        session = LabSession.objects.create(user=user, lab=lab, provider="namespace")
        assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
        session.refresh_from_db()
        made.append(session)
        return session

    yield make
    for session in made:
        get_provider("namespace").destroy(session)
