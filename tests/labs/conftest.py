"""Fixtures shared by the lab tests: unique sandbox names, the real cluster, provisioning."""

import uuid

import pytest

from labs.models import LabSession
from tests.conftest import htmx_twin


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
    """The shared lab cluster's admin kubeconfig (the session-scoped `cluster` fixture)."""
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


@pytest.fixture
def console(redis_url):
    """Drive the console's protocol in this process: POST (queues), execute (what the console
    worker does), then GET the entry the page polls. Slots live in the real test Redis."""
    import redis
    from django.urls import reverse

    from labs.console.services import execute

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("kubaeum:console:*"):
        client.delete(key)

    class Console:
        @staticmethod
        def post(http, session, command):
            return htmx_twin(http).post(reverse("labs-console", args=[session.pk]), {"command": command})

        @staticmethod
        def poll(http, session, command_id):
            return htmx_twin(http).get(reverse("labs-console-result", args=[session.pk, command_id]))

        def run(self, http, session, command):
            """The final entry of one command (or the refusal the POST gave)."""
            from labs.models import ConsoleCommand

            response = self.post(http, session, command)
            if response.status_code != 202:
                return response
            command_id = ConsoleCommand.objects.filter(session=session).latest("id").pk
            execute(command_id)
            return self.poll(http, session, command_id)

    return Console()
