"""Names and labels that mark cluster objects as belonging to this installation."""

import hashlib

from django.conf import settings
from django.db import connection

MANAGED_BY = "app.kubernetes.io/managed-by"
SESSION_LABEL = "kubaeum.io/session"
INSTANCE_LABEL = "kubaeum.io/instance"


def instance_id() -> str:
    """Which Kubaeum database owns a sandbox, so that orphan collection by one
    installation (or one test run) never deletes another's sandboxes on a shared cluster."""
    if settings.LAB_INSTANCE:
        return settings.LAB_INSTANCE
    return hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]


def labels(session) -> dict:
    return {MANAGED_BY: "kubaeum", SESSION_LABEL: str(session.pk), INSTANCE_LABEL: instance_id()}


def selector() -> str:
    return f"{MANAGED_BY}=kubaeum,{INSTANCE_LABEL}={instance_id()}"


def namespace_name(session) -> str:
    return f"{settings.LAB_NAMESPACE_PREFIX}{session.pk}"


def cluster_name(session) -> str:
    return f"{settings.LAB_CLUSTER_PREFIX}{session.pk}"
