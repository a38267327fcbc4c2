"""A snapshot of a sandbox for the live resource view, read with the session's own client.

Deployments → ReplicaSets → Pods are linked by ownerReferences, Services → endpoints by
the EndpointSlice label. Secrets are listed as metadata only (PartialObjectMetadataList):
their data never leaves the API server, so it cannot leak into a page by mistake.
"""

import json

from kubernetes.client import AppsV1Api, CoreV1Api, DiscoveryV1Api
from kubernetes.client.exceptions import ApiException
from urllib3.exceptions import HTTPError

METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
TIMEOUT = 5
HIDDEN_CONFIGMAPS = {"kube-root-ca.crt"}
SYSTEM_PREFIXES = ("kube-", "local-path-storage")


class SnapshotError(RuntimeError):
    pass


def _items(calls, namespace, headers=None) -> list[dict]:
    """One list call: in `namespace`, or in every non-system namespace when it is None."""
    namespaced, everywhere = calls
    options = {"_preload_content": False, "_request_timeout": TIMEOUT, "_headers": headers}
    response = namespaced(namespace, **options) if namespace else everywhere(**options)
    items = json.loads(response.data).get("items") or []
    return [i for i in items if not i["metadata"].get("namespace", "").startswith(SYSTEM_PREFIXES)]


def _name(obj) -> str:
    """The name as shown: a cluster-scope sandbox spans namespaces, so say which one."""
    meta = obj["metadata"]
    namespace = meta.get("namespace", "")
    return (
        meta["name"] if namespace in ("", "default") or not obj.get("_all") else f"{namespace}/{meta['name']}"
    )


def _owned_by(obj, owner) -> bool:
    uid = owner["metadata"].get("uid")
    return any(ref.get("uid") == uid for ref in obj["metadata"].get("ownerReferences") or [])


def _pod_view(pod) -> dict:
    status = pod.get("status") or {}
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    statuses = status.get("containerStatuses") or []
    ready_count = sum(1 for c in statuses if c.get("ready"))
    deleting = bool(pod["metadata"].get("deletionTimestamp"))
    return {
        "name": _name(pod),
        "phase": "Terminating" if deleting else status.get("phase") or "Pending",
        "ready": conditions.get("Ready") == "True" and not deleting,
        "containers": f"{ready_count}/{len(statuses) or len((pod.get('spec') or {}).get('containers') or [])}",
        "ip": status.get("podIP") or "",
        "images": [c.get("image") for c in (pod.get("spec") or {}).get("containers") or []],
    }


def snapshot(api_client, namespace: str | None) -> dict:
    """The sandbox's objects; namespace None = the whole (dedicated) cluster minus kube-*."""
    core, apps, discovery = CoreV1Api(api_client), AppsV1Api(api_client), DiscoveryV1Api(api_client)
    try:
        deployments = _items(
            (apps.list_namespaced_deployment, apps.list_deployment_for_all_namespaces), namespace
        )
        replicasets = _items(
            (apps.list_namespaced_replica_set, apps.list_replica_set_for_all_namespaces), namespace
        )
        pods = _items((core.list_namespaced_pod, core.list_pod_for_all_namespaces), namespace)
        services = _items((core.list_namespaced_service, core.list_service_for_all_namespaces), namespace)
        slices = _items(
            (discovery.list_namespaced_endpoint_slice, discovery.list_endpoint_slice_for_all_namespaces),
            namespace,
        )
        configmaps = _items(
            (core.list_namespaced_config_map, core.list_config_map_for_all_namespaces), namespace
        )
        secrets = _items(
            (core.list_namespaced_secret, core.list_secret_for_all_namespaces),
            namespace,
            {"Accept": METADATA_ONLY},
        )
    except ApiException as exc:
        raise SnapshotError(f"샌드박스를 읽지 못했습니다 (API 서버 응답 {exc.status}).") from None
    except (HTTPError, OSError):
        raise SnapshotError("쿠버네티스 API 서버에 연결하지 못했습니다. 잠시 뒤 다시 시도합니다.") from None
    if namespace is None:
        for obj in (*deployments, *replicasets, *pods, *services, *configmaps, *secrets):
            obj["_all"] = True

    claimed: set[str] = set()
    deployment_views = []
    for deployment in deployments:
        spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
        rs_views = []
        for rs in replicasets:
            if not _owned_by(rs, deployment):
                continue
            rs_pods = [p for p in pods if _owned_by(p, rs)]
            claimed.update(_name(p) for p in rs_pods)
            desired = (rs.get("spec") or {}).get("replicas") or 0
            if desired == 0 and not rs_pods:
                continue  # old revisions scaled to zero: kubectl shows them, the diagram need not
            rs_views.append(
                {
                    "name": _name(rs),
                    "desired": desired,
                    "ready": (rs.get("status") or {}).get("readyReplicas") or 0,
                    "revision": (rs["metadata"].get("annotations") or {}).get(
                        "deployment.kubernetes.io/revision", ""
                    ),
                    "pods": [_pod_view(p) for p in sorted(rs_pods, key=_name)],
                }
            )
        containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
        deployment_views.append(
            {
                "name": _name(deployment),
                "desired": spec.get("replicas", 1),
                "ready": status.get("readyReplicas") or 0,
                "images": [c.get("image") for c in containers],
                "replicasets": rs_views,
            }
        )
    service_views = []
    for service in services:
        spec = service.get("spec") or {}
        addresses = []
        for endpoint_slice in slices:
            labels = endpoint_slice["metadata"].get("labels") or {}
            same_namespace = endpoint_slice["metadata"].get("namespace") == service["metadata"].get(
                "namespace"
            )
            if not same_namespace or labels.get("kubernetes.io/service-name") != service["metadata"]["name"]:
                continue
            for endpoint in endpoint_slice.get("endpoints") or []:
                ready = (endpoint.get("conditions") or {}).get("ready") is not False
                target = (endpoint.get("targetRef") or {}).get("name", "")
                for address in endpoint.get("addresses") or []:
                    addresses.append({"ip": address, "ready": ready, "pod": target})
        service_views.append(
            {
                "name": _name(service),
                "type": spec.get("type", "ClusterIP"),
                "cluster_ip": spec.get("clusterIP", ""),
                "ports": [
                    f"{p.get('port')}→{p.get('targetPort', p.get('port'))}/{p.get('protocol', 'TCP')}"
                    for p in spec.get("ports") or []
                ],
                "selector": ", ".join(f"{k}={v}" for k, v in (spec.get("selector") or {}).items()),
                "endpoints": sorted(addresses, key=lambda a: a["ip"]),
            }
        )
    return {
        "deployments": sorted(deployment_views, key=lambda d: d["name"]),
        "pods": [_pod_view(p) for p in sorted(pods, key=_name) if _name(p) not in claimed],
        "services": sorted(service_views, key=lambda s: s["name"]),
        "configmaps": sorted(_name(c) for c in configmaps if c["metadata"]["name"] not in HIDDEN_CONFIGMAPS),
        "secrets": sorted(_name(s) for s in secrets),
    }
