"""Fixtures for sandbox tests: a lab, provisioned sessions on the real cluster."""

import uuid

import pytest

from labs.models import Lab, LabSession

SETUP_CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "welcome"},
    "data": {"hello": "쿠배움"},
}


@pytest.fixture(autouse=True)
def _sandbox_names(settings):
    # Test databases reuse row ids after each rollback, while a deleted namespace lingers
    # in Terminating for a moment: give every test its own names.
    tag = uuid.uuid4().hex[:6]
    settings.LAB_NAMESPACE_PREFIX = f"lab-{tag}-"
    settings.LAB_CLUSTER_PREFIX = f"lab-{tag}-"
    settings.LAB_KWOK_POOL_SIZE = 0


@pytest.fixture
def lab(db):
    return Lab.objects.create(
        slug="pods-basics",
        title="파드 기초",
        scope="namespace",
        time_limit_minutes=60,
        definition={"setup": [SETUP_CONFIGMAP]},
    )


@pytest.fixture
def other_lab(db):
    return Lab.objects.create(slug="services-basics", title="서비스 기초", scope="namespace")


@pytest.fixture
def lab_cluster(request, settings):
    """The shared lab cluster's admin kubeconfig (the lead's session-scoped `cluster`)."""
    cluster = request.getfixturevalue("cluster")
    settings.LAB_CLUSTER_KUBECONFIG = str(cluster.kubeconfig)
    return cluster


@pytest.fixture
def provisioned(lab_cluster, lab):
    """Provision sessions in-process (the provider and API are real; no worker needed)."""
    from labs.providers import get_provider
    from labs.sandbox.lifecycle import provision_session

    made = []

    def make(user, for_lab=None) -> LabSession:
        session = LabSession.objects.create(user=user, lab=for_lab or lab, provider="namespace")
        assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
        session.refresh_from_db()
        made.append(session)
        return session

    yield make
    for session in made:
        get_provider("namespace").destroy(session)
