"""Whether a cluster runs real containers, asked of its nodes rather than assumed from a setting.

kwok's nodes are simulated: kwokctl marks them with the annotation `kwok.x-k8s.io/node` and
kwok reports their container runtime as `kwok-<version>`. Any other Ready node runs
containers (a kind node, a real cluster's node), so probes restart, logs exist and Services
answer there. The answer is cached per kubeconfig for a minute: providers ask it for every
grading and every lab they are offered.
"""

import threading
import time
from pathlib import Path

from kubernetes import client

from .access import api_client

KWOK_ANNOTATION = "kwok.x-k8s.io/node"
TTL, TTL_UNKNOWN = 60.0, 5.0
# {kubeconfig path: (its mtime, valid until, answer)}: a rewritten kubeconfig is asked again.
_cache: dict[str, tuple[float, float, bool | None]] = {}
_lock = threading.Lock()


def simulated(node) -> bool:
    annotations = node.metadata.annotations or {}
    info = node.status.node_info if node.status else None
    runtime = (info.container_runtime_version if info else "") or ""
    return KWOK_ANNOTATION in annotations or runtime.startswith("kwok")


def _ready(node) -> bool:
    conditions = (node.status.conditions if node.status else None) or []
    return any(c.type == "Ready" and c.status == "True" for c in conditions)


def runs_containers(kubeconfig: str | Path) -> bool | None:
    """True when a Ready node of the cluster is not simulated; None when the cluster cannot
    be asked (down, unreachable, or the credentials may not list nodes)."""
    path = Path(kubeconfig)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    now = time.monotonic()
    with _lock:
        cached = _cache.get(str(path))
    if cached and cached[0] == mtime and now < cached[1]:
        return cached[2]
    answer: bool | None
    try:
        with api_client(path) as api:
            nodes = client.CoreV1Api(api).list_node(_request_timeout=3).items
        answer = any(_ready(n) and not simulated(n) for n in nodes)
    except Exception:  # an unreadable kubeconfig, a cluster down or out of reach, no right to list nodes
        answer = None
    with _lock:
        _cache[str(path)] = (mtime, now + (TTL if answer is not None else TTL_UNKNOWN), answer)
    return answer
