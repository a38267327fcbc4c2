import pytest
from kubernetes import client

from labs.cluster import api_client
from labs.models import LabSession
from labs.sandbox import identity
from labs.sandbox.reaper import collect_orphans

from .helpers import live_namespaces

pytestmark = pytest.mark.cluster


def make_namespace(cluster, name, labels):
    with api_client(cluster.kubeconfig) as api:
        client.CoreV1Api(api).create_namespace({"metadata": {"name": name, "labels": labels}})


def test_the_reaper_deletes_sandboxes_with_no_live_session_and_nothing_else(
    provisioned, lab_cluster, student, lab, settings
):
    live = provisioned(student)
    ended = LabSession.objects.create(user=student, lab=lab, state="ended")
    prefix = settings.LAB_NAMESPACE_PREFIX
    ours = {identity.MANAGED_BY: "kubaeum", identity.INSTANCE_LABEL: identity.instance_id()}
    make_namespace(lab_cluster, f"{prefix}ended", {**ours, identity.SESSION_LABEL: str(ended.pk)})
    make_namespace(lab_cluster, f"{prefix}gone", {**ours, identity.SESSION_LABEL: "999999"})
    foreign = {
        identity.MANAGED_BY: "kubaeum",
        identity.INSTANCE_LABEL: "another-installation",
        identity.SESSION_LABEL: "999999",
    }
    make_namespace(lab_cluster, f"{prefix}foreign", foreign)

    assert collect_orphans() == 2
    remaining = live_namespaces(lab_cluster)
    assert live.namespace in remaining
    assert f"{prefix}foreign" in remaining  # another installation's sandbox is not ours to delete
    assert f"{prefix}ended" not in remaining and f"{prefix}gone" not in remaining
    with api_client(lab_cluster.kubeconfig) as api:
        client.CoreV1Api(api).delete_namespace(f"{prefix}foreign")
