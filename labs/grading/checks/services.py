"""service_type, service_port, selects, http_get, probe_answers: what a Service, a selector
or a probe really does.

A Service reaches the pods its selector picks, on the port their program listens on; a
headless Service (`clusterIP: None`) is not a ClusterIP Service even though its type says
so. Selectors are evaluated (matchLabels and matchExpressions), never read as one spelling.
"""

from ..kinds import describe, selector_matches, show_selector
from ..programs import answered_paths, listening_ports, named_port
from .common import containers, find, named_container, pod_spec, show
from .registry import Outcome, check_type, one_of

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")


def pod_templates(source, namespace=None):
    """(description, pod labels, pod spec) of everything that makes pods: workloads'
    templates, and pods nobody owns (a Deployment's pods are represented by its template)."""
    found = []
    for kind in WORKLOAD_KINDS:
        for obj in source.list(kind, namespace):
            meta = obj.get("metadata") or {}
            if kind in ("Pod", "ReplicaSet") and meta.get("ownerReferences"):
                continue
            if kind == "Pod":
                labels = meta.get("labels")
            else:
                labels = (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels")
            found.append((describe(kind, meta.get("name")), labels or {}, pod_spec(obj)))
    return found


def _service(spec, source):
    return find({"kind": "Service", "name": spec["name"], "namespace": spec.get("namespace")}, source)


@check_type(
    "service_type",
    required={"name": "str", "service_type": "str"},
    optional={"namespace": "str"},
    description="서비스 종류 (ClusterIP는 헤드리스(clusterIP: None)가 아니어야 함)",
    validate=one_of("service_type", ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "Headless")),
)
def service_type(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    s = svc.get("spec") or {}
    kind = s.get("type") or "ClusterIP"
    headless = s.get("clusterIP") == "None" or "None" in (s.get("clusterIPs") or [])
    found = "ClusterIP (헤드리스, clusterIP: None)" if kind == "ClusterIP" and headless else kind
    wanted = spec["service_type"]
    ok = (found == "ClusterIP (헤드리스, clusterIP: None)") if wanted == "Headless" else found == wanted
    return Outcome(ok, f"{describe('Service', spec['name'])}의 종류", wanted, found)


def _resolve_target(target, container) -> int | None:
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    return named_port(container, str(target))


@check_type(
    "service_port",
    required={"name": "str", "port": "int"},
    optional={"target": "int", "namespace": "str"},
    description="서비스 포트 N이 셀렉터가 고른 파드에서 프로그램이 실제로 듣는 포트로 이어짐"
    " (target: 그 포트 번호도 확인)",
)
def service_port(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    label = f"{describe('Service', spec['name'])}의 포트 {spec['port']}"
    entries = [p for p in (svc.get("spec") or {}).get("ports") or [] if isinstance(p, dict)]
    matching = [p for p in entries if str(p.get("port")) == str(spec["port"])]
    if not matching:
        found = ", ".join(str(p.get("port")) for p in entries) or "포트 없음"
        return Outcome(False, f"{describe('Service', spec['name'])}의 포트", str(spec["port"]), found)
    selector = (svc.get("spec") or {}).get("selector") or {}
    picked = [t for t in pod_templates(source, spec.get("namespace")) if selector_matches(selector, t[1])]
    if not picked:
        return Outcome(
            False,
            label,
            "셀렉터가 고른 파드",
            f"셀렉터 {show_selector(selector)}에 맞는 파드나 파드 템플릿 없음",
        )
    wanted = f"파드가 듣는 포트{f' {spec["target"]}' if 'target' in spec else ''}로 연결"
    problems = []
    for what, _, pspec in picked:
        reached = False
        for entry in matching:
            target = entry.get("targetPort", entry.get("port"))
            for c in pspec.get("containers") or []:
                number = _resolve_target(target, c)
                listens = listening_ports(c)
                if number is not None and number in listens and spec.get("target", number) == number:
                    reached = True
        if not reached:
            targets = ", ".join(str(e.get("targetPort", e.get("port"))) for e in matching)
            listens = sorted({p for c in pspec.get("containers") or [] for p in listening_ports(c)})
            problems.append(
                f"targetPort {targets} → {what}의 프로그램이 듣는 포트 {', '.join(map(str, listens)) or '없음'}"
            )
    if problems:
        return Outcome(False, label, wanted, "; ".join(problems))
    return Outcome(True, label, wanted, "연결됨")


@check_type(
    "selects",
    required={"kind": "kind", "name": "str", "labels": "dict"},
    optional={"rejects": "list", "namespace": "str"},
    description="오브젝트의 셀렉터가 labels의 파드를 고르고, rejects의 어떤 레이블 묶음도 고르지 않음"
    " (matchLabels·matchExpressions를 모두 평가)",
    validate=lambda s: (
        []
        if isinstance(s.get("rejects", []), list) and all(isinstance(r, dict) for r in s.get("rejects", []))
        else [("rejects", "rejects는 레이블 매핑의 목록이어야 합니다.")]
    ),
)
def selects(spec, source):
    obj, failed = find(spec, source)
    if failed:
        return failed
    spec_ = obj.get("spec") or {}
    if spec["kind"] == "NetworkPolicy":  # podSelector, where {} selects every pod
        from .network import selects_pods

        selector = spec_.get("podSelector")
        matches = selects_pods
    else:
        selector, matches = spec_.get("selector"), selector_matches
    label = f"{describe(spec['kind'], spec['name'])}의 셀렉터"
    wanted = ",".join(f"{k}={v}" for k, v in spec["labels"].items())
    found = show_selector(selector)
    if not matches(selector, spec["labels"]):
        return Outcome(False, label, f"{wanted} 파드를 고름", found)
    for other in spec.get("rejects") or []:
        if matches(selector, other):
            text = ",".join(f"{k}={v}" for k, v in other.items())
            return Outcome(False, label, f"{wanted} 파드만 고름 ({text} 파드는 고르지 않음)", found)
    return Outcome(True, label, wanted, found)


@check_type(
    "http_get",
    required={"service": "str", "port": "int"},
    optional={"path": "str", "contains": "str", "status": "int"},
    sources=("live",),
    description="API 서버의 서비스 프록시로 서비스에 HTTP 요청 (실제 컨테이너가 있는 환경에서만; 없으면"
    " 건너뜀)",
)
def http_get(spec, source):
    label = f"http://{spec['service']}:{spec['port']}{spec.get('path') or '/'}"
    if not source.real_containers:
        return Outcome(
            True,
            label,
            "",
            "",
            skipped="이 실습 환경은 컨테이너를 실제로 실행하지 않아 HTTP 요청 검사를 건너뛰었습니다.",
        )
    status, body = source.proxy_get(spec["service"], spec["port"], spec.get("path") or "/")
    want_status = spec.get("status", 200)
    if status != want_status:
        return Outcome(False, f"{label} 응답 코드", str(want_status), str(status) if status else "응답 없음")
    if spec.get("contains") and spec["contains"] not in body:
        return Outcome(False, f"{label} 응답 본문", f"'{spec['contains']}' 포함", show(body[:200]))
    return Outcome(True, label, str(want_status), str(status))


@check_type(
    "program_setting",
    required={"kind": "kind", "name": "str", "setting": "str"},
    optional={"container": "str", "value": "str", "namespace": "str"},
    description="lab 이미지(kubaeum/web) 컨테이너의 설정(port, text, files)을 args의 플래그나 환경 변수 어느"
    " 쪽으로 주든 읽어 비교 (value 없으면 비어 있지 않은 값; container가 없으면 lab 이미지를 쓰는 컨테이너 중"
    " 하나)",
)
def program_setting(spec, source):
    from ..programs import program_of, setting

    if spec.get("container"):
        c, failed = named_container(spec, source)
        if failed:
            return failed
        found = [c]
    else:
        obj, failed = find(spec, source)
        if failed:
            return failed
        found = [c for c in containers(obj) if program_of(c.get("image")) is not None]
        if not found:
            return Outcome(
                False, describe(spec["kind"], spec["name"]), "kubaeum/web 이미지의 컨테이너", "없음"
            )
    wanted = spec.get("value")
    values = []
    for c in found:
        label = f"컨테이너 '{c.get('name')}'의 {spec['setting']} 설정"
        if program_of(c.get("image")) is None:
            return Outcome(False, label, "kubaeum/web 이미지의 설정", f"이미지 {show(c.get('image'))}")
        value = setting(c, spec["setting"])
        if (value == wanted) if "value" in spec else bool(value):
            return Outcome(True, label, wanted or "", show(value))
        values.append(value)
    expected = wanted if "value" in spec else "비어 있지 않은 값"
    return Outcome(False, label, expected, ", ".join(show(v) if v else "빈 값" for v in values))


PROBES = {"liveness": "활성", "readiness": "준비성", "startup": "스타트업"}


@check_type(
    "probe_answers",
    required={"kind": "kind", "name": "str", "container": "str", "probe": "str"},
    optional={"path": "str", "namespace": "str"},
    description="프로브가 컨테이너의 프로그램이 실제로 듣는 포트(이름 붙은 포트는 번호로 풀어)와 응답하는 경로를"
    " 확인함 (httpGet 또는 tcpSocket; path: 이 경로여야 함, 없으면 lab 이미지가 200으로 답하는 경로)",
    validate=one_of("probe", tuple(PROBES)),
)
def probe_answers(spec, source):
    c, failed = named_container(spec, source)
    if failed:
        return failed
    label = f"컨테이너 '{spec['container']}'의 {PROBES[spec['probe']]} 프로브"
    probe = c.get(f"{spec['probe']}Probe")
    listening = sorted(listening_ports(c))
    where = ", ".join(map(str, listening)) or "알 수 없음"
    if not isinstance(probe, dict):
        return Outcome(False, label, f"프로그램이 듣는 포트({where})를 확인하는 프로브", "없음")
    action = probe.get("httpGet") or probe.get("tcpSocket")
    if not isinstance(action, dict):
        return Outcome(False, label, "httpGet 또는 tcpSocket 프로브", show(probe))
    port = action.get("port")
    number = named_port(c, port) if isinstance(port, str) and not port.isdigit() else port
    try:
        number = int(number) if number is not None else None
    except (TypeError, ValueError):
        number = None
    shown = f":{port}" + (f" (= {number})" if number is not None and str(number) != str(port) else "")
    if number is None or number not in listening:
        return Outcome(False, f"{label}의 포트", f"프로그램이 듣는 포트 {where}", shown)
    if "httpGet" not in probe:
        if spec.get("path"):  # a path was asked for: a TCP connect checks none
            return Outcome(False, label, f"httpGet {spec['path']}", f"tcpSocket {shown}")
        return Outcome(True, label, "", f"tcpSocket {shown}")
    path = "/" + str(action.get("path") or "/").split("?", 1)[0].lstrip("/")
    wanted = (spec["path"],) if spec.get("path") else answered_paths(c.get("image"))
    if wanted is not None and path not in wanted:
        return Outcome(False, f"{label}의 경로", " 또는 ".join(wanted), path)
    return Outcome(True, label, "", f"httpGet {shown}{path}")
