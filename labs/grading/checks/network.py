"""network_allows: whether the NetworkPolicies let one pod talk to another, evaluated the
way a policy-enforcing network plugin does, instead of looking for one spelling of a rule.

A pod is isolated for a direction when some policy in its namespace selects it and lists
that direction in policyTypes (left out, policyTypes is Ingress, plus Egress when the policy
has egress rules). An isolated pod accepts (or sends) only what at least one selecting
policy's rule allows: a rule matches when one of its peers matches (no peers: everyone) and
one of its ports matches (no ports: every port; protocol TCP unless given; endPort ranges).
A peer with podSelector alone means pods of the policy's own namespace; namespaceSelector
alone means every pod of the matching namespaces; both together mean both must hold.
Limitation: pod IPs are unknown here, so an ipBlock peer matches pods only when its CIDR is
everything (0.0.0.0/0 or ::/0).
"""

from ..kinds import selector_matches
from .registry import Outcome, check_type, one_of

EVERYWHERE = ("0.0.0.0/0", "::/0")
DIRECTIONS = {"ingress": ("Ingress", "from", "들어오는"), "egress": ("Egress", "to", "나가는")}


def selects_pods(selector, labels: dict) -> bool:
    """A NetworkPolicy's selector: an empty one (`{}`, or no labels and no expressions)
    selects every pod or namespace."""
    if (
        isinstance(selector, dict)
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
        and set(selector) <= {"matchLabels", "matchExpressions"}
    ):
        return True
    return selector_matches(selector, labels)


def _namespace_labels(name: str, extra: dict | None = None) -> dict:
    return {"kubernetes.io/metadata.name": name, **(extra or {})}


def _policy_types(spec: dict) -> list[str]:
    types = spec.get("policyTypes")
    if isinstance(types, list) and types:
        return [str(t) for t in types]
    return ["Ingress"] + (["Egress"] if spec.get("egress") else [])


def _peer_matches(peer, policy_ns: str, other: dict) -> bool:
    if not isinstance(peer, dict):
        return False
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        return block.get("cidr") in EVERYWHERE and not block.get("except")
    pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
    if pods is None and namespaces is None:
        return False
    if namespaces is None:
        namespace_ok = other["namespace"] == policy_ns
    else:
        namespace_ok = selects_pods(namespaces, other["namespace_labels"])
    return namespace_ok and (pods is None or selects_pods(pods, other["labels"]))


def _port_matches(entry, port: int, protocol: str) -> bool:
    if not isinstance(entry, dict):
        return False
    if str(entry.get("protocol") or "TCP").upper() != protocol:
        return False
    wanted = entry.get("port")
    if wanted is None:
        return True
    try:
        low = int(wanted)
    except (TypeError, ValueError):
        return False  # a named port: its number depends on the pod, unknown here
    high = int(entry["endPort"]) if str(entry.get("endPort", "")).isdigit() else low
    return low <= port <= high


def _rule_matches(rule, peers_key: str, policy_ns: str, other: dict, port: int, protocol: str) -> bool:
    if not isinstance(rule, dict):
        return False
    peers, ports = rule.get(peers_key), rule.get("ports")
    peer_ok = not peers or any(_peer_matches(p, policy_ns, other) for p in peers)
    port_ok = not ports or any(_port_matches(p, port, protocol) for p in ports)
    return peer_ok and port_ok


def allowed(
    policies: list[dict], direction: str, pod: dict, other: dict, port: int, protocol: str
) -> tuple[bool, str]:
    """(allowed?, why) for traffic of `pod` (ingress: to it; egress: from it) with `other`."""
    kind, peers_key, _ = DIRECTIONS[direction]
    selecting = []
    for policy in policies:
        meta, spec = policy.get("metadata") or {}, policy.get("spec") or {}
        if (meta.get("namespace") or pod["namespace"]) != pod["namespace"]:
            continue
        if kind in _policy_types(spec) and selects_pods(spec.get("podSelector"), pod["labels"]):
            selecting.append(policy)
    if not selecting:
        return True, "이 파드를 고르는 정책이 없어 모두 허용"
    for policy in selecting:
        spec = policy.get("spec") or {}
        policy_ns = (policy.get("metadata") or {}).get("namespace") or pod["namespace"]
        for rule in spec.get(direction) or []:
            if _rule_matches(rule, peers_key, policy_ns, other, port, protocol):
                return True, f"{policy['metadata'].get('name')}의 규칙이 허용"
    names = ", ".join(str((p.get("metadata") or {}).get("name")) for p in selecting)
    return False, f"막힘 (이 파드를 고르는 정책: {names})"


def _endpoint(labels: dict, namespace: str, namespace_labels: dict | None = None) -> dict:
    return {
        "labels": labels,
        "namespace": namespace,
        "namespace_labels": _namespace_labels(namespace, namespace_labels),
    }


def _describe(labels: dict, namespace: str, own: str) -> str:
    text = ",".join(f"{k}={v}" for k, v in labels.items()) or "모든"
    return f"{text} 파드" + (f"(네임스페이스 {namespace})" if namespace != own else "")


@check_type(
    "network_allows",
    required={"direction": "str", "pod": "dict", "peer": "dict", "port": "int", "allowed": "bool"},
    optional={
        "protocol": "str",
        "namespace": "str",
        "peer_namespace": "str",
        "peer_namespace_labels": "dict",
    },
    description="네트워크폴리시들을 함께 평가해 파드(pod 레이블)와 상대(peer 레이블, peer_namespace)의 트래픽이"
    " 포트/프로토콜에서 허용되는지(allowed: true) 막히는지(false) 확인 (direction: ingress면 pod로 들어오는,"
    " egress면 pod에서 나가는 트래픽)",
    validate=one_of("direction", tuple(DIRECTIONS)),
)
def network_allows(spec, source):
    namespace = spec.get("namespace") or getattr(source, "namespace", None) or "default"
    peer_ns = spec.get("peer_namespace") or namespace
    pod = _endpoint(spec["pod"], namespace)
    other = _endpoint(spec["peer"], peer_ns, spec.get("peer_namespace_labels"))
    protocol = str(spec.get("protocol") or "TCP").upper()
    policies = source.list("NetworkPolicy", spec.get("namespace") or getattr(source, "namespace", None))
    ok, why = allowed(policies, spec["direction"], pod, other, spec["port"], protocol)
    _, _, word = DIRECTIONS[spec["direction"]]
    this, that = _describe(spec["pod"], namespace, namespace), _describe(spec["peer"], peer_ns, namespace)
    if spec["direction"] == "ingress":
        label = f"{that} → {this} {protocol} {spec['port']}"
    else:
        label = f"{this} → {that} {protocol} {spec['port']}"
    wanted = "허용" if spec["allowed"] else "막힘"
    return Outcome(ok == spec["allowed"], f"{word} 트래픽 {label}", wanted, why)
