from kubernetes import client

from labs.cluster import api_client
from labs.models import LabSession


def state_of(session) -> str:
    return LabSession.objects.values_list("state", flat=True).get(pk=session.pk)


def live_namespaces(cluster, session_id=None) -> list[str]:
    """Our labelled namespaces that are not being deleted."""
    selector = "app.kubernetes.io/managed-by=kubaeum"
    if session_id is not None:
        selector += f",kubaeum.io/session={session_id}"
    with api_client(cluster.kubeconfig) as api:
        items = client.CoreV1Api(api).list_namespace(label_selector=selector).items
    return [ns.metadata.name for ns in items if not ns.metadata.deletion_timestamp]
