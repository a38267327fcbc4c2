"""Fixtures for sandbox tests: a lab, provisioned sessions on the real cluster."""

import pytest

from labs.models import Lab
from tests.labs.definitions import stored_definition

SETUP_CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "welcome"},
    "data": {"hello": "쿠배움"},
}


@pytest.fixture(autouse=True)
def _sandbox_names(unique_sandbox_names):
    unique_sandbox_names("lab")


@pytest.fixture
def lab(db):
    return Lab.objects.create(
        slug="pods-basics",
        title="파드 기초",
        scope="namespace",
        time_limit_minutes=60,
        definition=stored_definition(setup=[SETUP_CONFIGMAP]),
    )


@pytest.fixture
def other_lab(db):
    return Lab.objects.create(slug="services-basics", title="서비스 기초", scope="namespace")


@pytest.fixture
def provisioned(lab, provision):
    """Factory: provisioned(user, for_lab=None) → a real sandbox of `lab` (or of for_lab)."""

    def make(user, for_lab=None):
        return provision(user, for_lab or lab)

    return make
