"""When a student's Deployments have settled: the self-test judges a wrong case only then."""

from datetime import UTC, datetime

from .sources import LiveSource


def rollouts_done(api, namespace) -> bool:
    """Every Deployment has reached what its spec asks (or cannot: a failed condition, or
    every pod of its current template stuck unready). A slow controller under load must not
    be mistaken for the student's final state."""
    source = LiveSource(api, namespace)
    for dep in source.list("Deployment", namespace):
        spec, status = dep.get("spec") or {}, dep.get("status") or {}
        want = spec.get("replicas", 1)
        if (status.get("observedGeneration") or 0) < (dep.get("metadata") or {}).get("generation", 0):
            return False
        stuck = any(
            (c.get("type"), c.get("status")) in (("ReplicaFailure", "True"), ("Progressing", "False"))
            for c in status.get("conditions") or []
        )
        done = all((status.get(k) or 0) == want for k in ("replicas", "updatedReplicas", "availableReplicas"))
        if not (done or stuck or stuck_pods(source, dep, namespace)):
            return False
    return True


# Waiting reasons kubelet keeps a container in until something about the pod changes.
STUCK_WAITING = {
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CreateContainerConfigError",
}
# A running container whose pod has been unready this long is failing its readiness probe,
# not starting up.
UNREADY_SECONDS = 10


def stuck_pods(source, dep, namespace) -> bool:
    """Every pod of the Deployment's current revision is unready and will stay so by itself:
    crashed and being restarted, stuck in a waiting state, unschedulable, or running while
    its readiness probe keeps failing. Waiting changes nothing but kubelet's back-off (the Progressing
    condition would say so only after progressDeadlineSeconds, 10 minutes by default)."""
    meta = dep.get("metadata") or {}
    revision = (meta.get("annotations") or {}).get("deployment.kubernetes.io/revision")
    hashes = {
        ((rs.get("metadata") or {}).get("labels") or {}).get("pod-template-hash")
        for rs in source.list("ReplicaSet", namespace)
        if ((rs.get("metadata") or {}).get("annotations") or {}).get("deployment.kubernetes.io/revision")
        == revision
        and any(
            o.get("uid") == meta.get("uid") for o in (rs.get("metadata") or {}).get("ownerReferences") or []
        )
    } - {None}
    pods = [
        p
        for p in source.list("Pod", namespace)
        if ((p.get("metadata") or {}).get("labels") or {}).get("pod-template-hash") in hashes
    ]
    return bool(pods) and all(_stuck(p) for p in pods)


def _stuck(pod: dict) -> bool:
    status = pod.get("status") or {}
    ready: dict = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {})
    if ready.get("status") == "True":
        return False
    statuses = status.get("containerStatuses") or []
    if any(
        (c.get("restartCount") or 0) >= 1
        or ((c.get("state") or {}).get("waiting") or {}).get("reason") in STUCK_WAITING
        for c in statuses
    ):
        return True
    # Unschedulable (an unbound PVC, no node that fits or tolerates): the scheduler retries,
    # but only a change to the cluster or the pod can make it fit.
    scheduled: dict = next((c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), {})
    if scheduled.get("status") == "False" and scheduled.get("reason") == "Unschedulable":
        return _older_than(scheduled, UNREADY_SECONDS)
    running = bool(statuses) and all("running" in (c.get("state") or {}) for c in statuses)
    return running and _older_than(ready, UNREADY_SECONDS)


def _older_than(condition: dict, seconds: float) -> bool:
    try:
        since = datetime.fromisoformat(condition.get("lastTransitionTime") or "")
    except ValueError:
        return False
    return (datetime.now(UTC) - since).total_seconds() >= seconds
