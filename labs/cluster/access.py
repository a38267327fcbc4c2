import hashlib
import json
import logging
import time
from pathlib import Path

from django.conf import settings
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from .local import ClusterError, LocalCluster

log = logging.getLogger(__name__)
SHARED_CLUSTER_NAME = "kubaeum"
HASH_ANNOTATION = "kubaeum.io/spec-sha256"


def shared_kubeconfig() -> Path:
    """The admin kubeconfig of the cluster that hosts namespace sandboxes.

    LAB_CLUSTER_KUBECONFIG wins (a real cluster, or the test fixture's); otherwise the
    local cluster started by `manage.py cluster up`.
    """
    if settings.LAB_CLUSTER_KUBECONFIG:
        return Path(settings.LAB_CLUSTER_KUBECONFIG)
    if settings.LAB_SHARED_CLUSTER == "kind":
        from labs.providers.kind import shared_cluster_name, workdir

        path = workdir(shared_cluster_name()) / "kubeconfig"
        if not path.exists():
            raise ClusterError(
                "실습용 kind 클러스터가 실행 중이 아닙니다. 'python manage.py cluster up'으로 시작하세요."
            )
        return path
    local = LocalCluster(SHARED_CLUSTER_NAME)
    if not local.kubeconfig.exists():
        raise ClusterError(
            "실습용 쿠버네티스 클러스터가 실행 중이 아닙니다. 'python manage.py cluster up'으로 시작하세요."
        )
    return local.kubeconfig


def api_client(kubeconfig: str | Path) -> client.ApiClient:
    """A fresh ApiClient for one kubeconfig file (never the process-wide default)."""
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(kubeconfig), client_configuration=cfg, persist_config=False)
    return client.ApiClient(configuration=cfg)


def _ok_unless(status: int, call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ApiException as e:
        if e.status != status:
            raise
        return None


def ok_if_exists(call, *args, **kwargs):
    """A create whose object is already there (409) counts as done; returns None then."""
    return _ok_unless(409, call, *args, **kwargs)


def ok_if_gone(call, *args, **kwargs):
    """A delete whose object is already gone (404) counts as done; returns None then."""
    return _ok_unless(404, call, *args, **kwargs)


def create_or_update(api, kind: str, doc: dict) -> None:
    """Create `doc` through the typed `api` (`kind` as in its `create_<kind>` method), or
    replace the object of that name when an earlier Kubaeum wrote something else. A hash of
    everything but the metadata, kept as an annotation, tells; an unchanged object is left
    alone, so every worker may call this at start-up."""
    digest = hashlib.sha256(
        json.dumps({k: v for k, v in doc.items() if k != "metadata"}, sort_keys=True).encode()
    ).hexdigest()
    meta = {
        **doc["metadata"],
        "annotations": {**(doc["metadata"].get("annotations") or {}), HASH_ANNOTATION: digest},
    }
    doc = {**doc, "metadata": meta}
    if ok_if_exists(getattr(api, f"create_{kind}"), doc) is not None:
        log.info("created %s %s", kind, meta["name"])
        return
    current = getattr(api, f"read_{kind}")(meta["name"])
    if (current.metadata.annotations or {}).get(HASH_ANNOTATION) == digest:
        return
    meta["resourceVersion"] = current.metadata.resource_version
    # 409 here: another worker replaced it in the meantime.
    if _ok_unless(409, getattr(api, f"replace_{kind}"), meta["name"], doc) is not None:
        log.info("updated %s %s", kind, meta["name"])


def wait_until_allowed(
    api, service_account: str, namespace: str, verb: str, resource: str, timeout=10.0
) -> bool:
    """Wait until the API server's authorizer lets the ServiceAccount do `verb` on `resource`
    in `namespace`. RBAC is read from an informer cache: right after a RoleBinding is created,
    a request can still be refused for a moment (longer on a loaded server), so a sandbox
    handed out at once may refuse the student's very first apply. Returns False on timeout."""
    auth = client.AuthorizationV1Api(api)
    user = f"system:serviceaccount:{namespace}:{service_account}"
    review = client.V1SubjectAccessReview(
        spec=client.V1SubjectAccessReviewSpec(
            user=user,
            groups=["system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"],
            resource_attributes=client.V1ResourceAttributes(
                namespace=namespace, verb=verb, resource=resource
            ),
        )
    )
    deadline = time.monotonic() + timeout
    while True:
        if auth.create_subject_access_review(review).status.allowed:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
