"""deployment_ready, pod_ready, service_endpoints, rollout: questions about running state.

These read status written by controllers, so they only make sense on a live sandbox.
"""

from datetime import UTC, datetime

from ..images import same_image
from ..kinds import describe, matches, parse_selector, selector_matches
from ..sources import SourceError
from .common import alive, containers, revision, show
from .registry import Outcome, check_type

LIVE = ("live",)


# A container that exits at once still reports Ready after each (re)start until kubelet
# notices the exit (its relist runs every second, several seconds late on a loaded node),
# so a crash-looping pod reads as ready now and then. Where containers really run, a pod
# counts as ready only once it has stayed Ready this long (what a Deployment's
# minReadySeconds means): a crash loop never passes by the luck of when the grading looked.
# 3 s was not enough on this 2-core machine under a load average of 20.
STEADY_SECONDS = 10


def _ready_since(pod: dict) -> datetime | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            try:
                return datetime.fromisoformat(c.get("lastTransitionTime") or "")
            except ValueError:
                return datetime.min.replace(tzinfo=UTC)  # Ready, since an unknown time
    return None


def _pod_is_ready(pod: dict, source) -> bool:
    since = _ready_since(pod)
    if since is None:
        return False
    if not source.real_containers:
        return True  # kwok's simulated pods never crash: Ready is final
    return (datetime.now(UTC) - since).total_seconds() >= STEADY_SECONDS


@check_type(
    "deployment_ready",
    required={"name": "str"},
    optional={"replicas": "int", "namespace": "str"},
    sources=LIVE,
    description="디플로이먼트의 레플리카가 모두 준비됨 (N/N)",
)
def deployment_ready(spec, source):
    dep = source.get("Deployment", spec["name"], spec.get("namespace"))
    label = describe("Deployment", spec["name"])
    if dep is None:
        return Outcome(False, label, "있음", "없음")
    desired = (dep.get("spec") or {}).get("replicas", 1)
    status = dep.get("status") or {}
    available = status.get("availableReplicas") or 0
    updated = status.get("updatedReplicas") or 0
    want = spec.get("replicas", desired)
    ok = (
        desired == want
        and available == desired
        and updated == desired
        and (status.get("replicas") or 0) == desired
    )
    if ok and source.real_containers:
        # The status counts a pod Ready for an instant; with real containers, count only
        # pods that stayed Ready (see STEADY_SECONDS).
        selector = (dep.get("spec") or {}).get("selector")
        pods = alive(
            [p for p in source.list("Pod", spec.get("namespace")) if selector_matches(selector, _labels(p))]
        )
        available = min(available, sum(1 for p in pods if _pod_is_ready(p, source)))
        ok = available == desired
    return Outcome(ok, f"{label}의 준비된 레플리카", f"{want}/{want}", f"{available}/{desired}")


def _labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


@check_type(
    "pod_ready",
    required={},
    optional={"name": "str", "selector": "selector", "min": "int", "namespace": "str"},
    sources=LIVE,
    description="파드가 Ready 상태",
    validate=lambda s: (
        [] if s.get("name") or s.get("selector") else [("name", "name 또는 selector가 필요합니다.")]
    ),
)
def pod_ready(spec, source):
    if spec.get("name"):
        pod = source.get("Pod", spec["name"], spec.get("namespace"))
        label = describe("Pod", spec["name"])
        if pod is None:
            return Outcome(False, label, "Ready", "파드 없음")
        ready = _pod_is_ready(pod, source)
        phase = (pod.get("status") or {}).get("phase") or "알 수 없음"
        return Outcome(ready, f"{label}의 상태", "Ready", "Ready" if ready else f"{phase} (Ready 아님)")
    pods = alive(source.select("Pod", parse_selector(spec["selector"]), spec.get("namespace")))
    ready = sum(1 for p in pods if _pod_is_ready(p, source))
    want = spec.get("min", 1)
    return Outcome(ready >= want, f"Ready 파드 수 ({spec['selector']})", f"{want}개 이상", f"{ready}개")


def _ready_endpoint_pods(source, service: str, namespace):
    """Names of pods behind the Service's ready endpoints (EndpointSlices, else Endpoints)."""
    try:
        slices = [
            s
            for s in source.list("EndpointSlice", namespace)
            if ((s.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/service-name") == service
        ]
        names = set()
        for sl in slices:
            for ep in sl.get("endpoints") or []:
                if (ep.get("conditions") or {}).get("ready") is False:
                    continue
                ref = ep.get("targetRef") or {}
                if ref.get("kind") == "Pod" and ref.get("name"):
                    names.add(ref["name"])
        return names
    except SourceError:
        ep = source.get("Endpoints", service, namespace) or {}
        return {
            (a.get("targetRef") or {}).get("name")
            for subset in ep.get("subsets") or []
            for a in subset.get("addresses") or []
            if (a.get("targetRef") or {}).get("kind") == "Pod"
        }


@check_type(
    "service_endpoints",
    required={"name": "str"},
    optional={"selector": "selector", "min": "int", "namespace": "str"},
    sources=LIVE,
    description="서비스에 준비된 엔드포인트가 있고, 그 파드가 셀렉터와 맞음",
)
def service_endpoints(spec, source):
    ns = spec.get("namespace")
    label = describe("Service", spec["name"])
    if source.get("Service", spec["name"], ns) is None:
        return Outcome(False, label, "있음", "없음")
    names = _ready_endpoint_pods(source, spec["name"], ns)
    wanted = parse_selector(spec.get("selector"))
    pods = {p["metadata"]["name"]: p for p in source.list("Pod", ns)}
    good = [n for n in names if n in pods and matches(pods[n]["metadata"].get("labels"), wanted)]
    want = spec.get("min", 1)
    what = f"{label}의 준비된 엔드포인트" + (f" ({spec['selector']} 파드)" if wanted else "")
    return Outcome(len(good) >= want, what, f"{want}개 이상", f"{len(good)}개")


def _owned_replicasets(source, dep: dict, namespace):
    uid = dep["metadata"].get("uid")
    found = []
    for rs in source.list("ReplicaSet", namespace):
        owners = (rs.get("metadata") or {}).get("ownerReferences") or []
        if any(
            o.get("kind") == "Deployment"
            and (o.get("uid") == uid or o.get("name") == dep["metadata"]["name"])
            for o in owners
        ):
            found.append(rs)
    return sorted(found, key=revision)


@check_type(
    "rollout",
    required={"name": "str"},
    optional={
        "min_revision": "int",
        "image": "str",
        "container": "str",
        "history": "strlist",
        "namespace": "str",
    },
    sources=LIVE,
    description="롤아웃: 리비전이 N 이상, 현재 이미지, 이미지 이력(레플리카셋)",
    validate=lambda s: (
        []
        if any(k in s for k in ("min_revision", "image", "history"))
        else [("min_revision", "min_revision, image, history 중 하나 이상이 필요합니다.")]
    ),
)
def rollout(spec, source):
    ns = spec.get("namespace")
    dep = source.get("Deployment", spec["name"], ns)
    label = describe("Deployment", spec["name"])
    if dep is None:
        return Outcome(False, label, "있음", "없음")
    rev = revision(dep)
    if "min_revision" in spec and rev < spec["min_revision"]:
        return Outcome(False, f"{label}의 리비전", f"{spec['min_revision']} 이상", str(rev))
    if "image" in spec:
        images = [c.get("image") for c in containers(dep, spec.get("container"))]
        if not any(same_image(i, spec["image"]) for i in images):
            return Outcome(
                False,
                f"{label}의 현재 이미지",
                spec["image"],
                show(images[0] if len(images) == 1 else images),
            )
    if "history" in spec:
        seen = []
        for rs in _owned_replicasets(source, dep, ns):
            for c in containers(rs, spec.get("container")):
                if c.get("image") not in seen:
                    seen.append(c.get("image"))
        missing = [img for img in spec["history"] if not any(same_image(s, img) for s in seen)]
        if missing:
            return Outcome(
                False, f"{label}의 이미지 이력", ", ".join(spec["history"]), ", ".join(seen) or "없음"
            )
    summary = f"리비전 {rev}" + (f", 이미지 {spec['image']}" if "image" in spec else "")
    return Outcome(True, label, summary, summary)
