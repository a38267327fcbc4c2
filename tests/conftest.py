"""Shared fixtures: named users, and real servers started once per test run.

Nothing here is a mock: Redis is a real redis-server on a free loopback port, and the
Kubernetes fixtures (tests/cluster_fixtures.py) start the real local cluster.
"""

import os

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.roles import make_instructor
from tests.servers import RedisServer
from tests.settings_helpers import set_for_the_whole_run

pytest_plugins = [
    "tests.browser_fixtures",
    "tests.cluster_fixtures",
    "tests.kind_fixtures",
    "tests.worker_fixtures",
]

# A test that takes one of these fixtures (directly or through another fixture) gets the
# marker, so `make test-fast` (-m "not cluster and not browser and not worker") can never
# pick up a test that needs the cluster binaries, Chromium or a worker process.
MARKER_OF_FIXTURE = {
    "cluster_binaries": "cluster",
    "new_page": "browser",
    "celery_worker_factory": "worker",
}


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker(marker):
                item.add_marker(marker)


@pytest.fixture(scope="session", autouse=True)
def private_state_dir(tmp_path_factory):
    """Tests keep their state (clusters, caches) out of var/, so they can never lean on a
    developer's running `make run` cluster: a test that forgets the `cluster` fixture fails."""
    path = tmp_path_factory.mktemp("state")
    set_for_the_whole_run("KUBAEUM_STATE_DIR", path)
    # No warm pools unless a test asks for one: each pool cluster is a whole control plane
    # (or node), and asking a worker to refill one needs a broker most tests do not start
    # (kombu then spends 6 s failing to connect).
    set_for_the_whole_run("LAB_KIND_POOL_SIZE", 0)
    set_for_the_whole_run("LAB_KWOK_POOL_SIZE", 0)
    os.environ["KUBAEUM_STATE_DIR"] = str(path)
    yield path
    os.environ.pop("KUBAEUM_STATE_DIR", None)


@pytest.fixture
def student(db):
    return User.objects.create_user("student", password="pw-student-1234")


@pytest.fixture
def other_student(db):
    return User.objects.create_user("other", password="pw-other-1234")


@pytest.fixture
def instructor(db):
    user = User.objects.create_user("teacher", password="pw-teacher-1234")
    make_instructor(user)
    return user


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def htmx_twin(client: Client) -> Client:
    """`client`'s browser as htmx uses it: the same cookies (so the same session, as the
    page that made the request), plus the header htmx adds to every request it sends."""
    twin = Client(headers={"HX-Request": "true"})
    twin.cookies = client.cookies
    twin.handler = client.handler  # its middleware is loaded once per test, not per twin
    return twin


@pytest.fixture
def htmx_client(student_client):
    return htmx_twin(student_client)


@pytest.fixture
def instructor_htmx_client(instructor_client):
    return htmx_twin(instructor_client)


@pytest.fixture
def htmx_client_for(db):
    """Factory: htmx requests from a browser logged in as `user`."""

    def make(user):
        client = Client()
        client.force_login(user)
        return htmx_twin(client)

    return make


@pytest.fixture
def other_client(client, other_student):
    client.force_login(other_student)
    return client


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server, settings):
    """Point Celery's broker (and the shared locks) at the test Redis for one test."""
    settings.CELERY_BROKER_URL = redis_server.url
    settings.REDIS_URL = redis_server.url  # locks and slots shared by processes (labs/console/slots.py)
    settings.CACHES = {
        **settings.CACHES,
        "shared": {**settings.CACHES["shared"], "LOCATION": redis_server.url},
    }
    point_celery_at(redis_server.url)
    return redis_server.url


def point_celery_at(url: str) -> None:
    """Tasks this process sends go to the broker at `url` from now on. Celery keeps the
    connection pool of the broker it first used, so the app forgets it, as after a fork.
    It is never closed: kombu hands the same pool out again for its URL, and a closed one
    refuses every later send of the run."""
    from kubaeum.celery import app

    app.conf.update(broker_url=url)
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
