"""Compose file checks, on the file as Compose reads it: `${VAR:-default}` interpolated
(no .env is submitted, so unset variables take their defaults), environment as a list or
a map, ports in short ("127.0.0.1:8080:80/tcp", ranges) or long syntax, images parsed."""

import re

from ..images import same_image
from .common import show
from .registry import Outcome, check_type

FILES = ("files",)
OPT = {"file": "str"}

_VAR = re.compile(
    r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<word>[^}]*))?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(value, env: dict | None = None):
    """Compose interpolation of every string in a value; `$$` is a literal `$`."""
    env = env or {}
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group("name") or m.group("bare")
        op, word = m.group("op"), m.group("word") or ""
        current = env.get(name)
        if op in (":-",):
            return current if current else word
        if op == "-":
            return current if current is not None else word
        if op in (":+",):
            return word if current else ""
        if op == "+":
            return word if current is not None else ""
        return current or ""

    return _VAR.sub(one, value)


def _service(spec, source):
    doc = source.compose(spec.get("file"))
    services = (doc or {}).get("services") if isinstance(doc, dict) else None
    if not isinstance(services, dict):
        return None, Outcome(False, "services", "services 항목", "없음")
    svc = services.get(spec["service"])
    if not isinstance(svc, dict):
        return None, Outcome(
            False, "services", f"서비스 '{spec['service']}'", ", ".join(map(str, services)) or "없음"
        )
    return interpolate(svc), None


@check_type(
    "compose_service",
    required={"service": "str"},
    optional={**OPT, "image": "str", "image_regex": "regex", "build": "bool"},
    sources=FILES,
    description="서비스가 있음; image: 같은 이미지 (docker.io/library/… 생략형도 같음), image_regex, build 사용",
)
def service(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    label = f"서비스 '{spec['service']}'"
    image = str(svc.get("image") or "")
    if spec.get("image") and not same_image(image, spec["image"]):
        return Outcome(False, f"{label}의 이미지", spec["image"], show(svc.get("image")))
    if spec.get("image_regex") and not re.search(spec["image_regex"], image):
        return Outcome(False, f"{label}의 이미지", f"/{spec['image_regex']}/ 형식", show(svc.get("image")))
    if spec.get("build") and not svc.get("build"):
        return Outcome(False, f"{label}의 build", "설정됨", "없음")
    return Outcome(True, label, "", image)


# Port pairs read per service: ranges expand (at most 1,000 each), so a file repeating
# "1-999:1-999" would otherwise make millions of pairs for every check that reads them.
MAX_PORT_PAIRS = 5000


def _expand(text: str) -> list[str]:
    if "-" in text:
        low, _, high = text.partition("-")
        if low.isdigit() and high.isdigit() and int(high) - int(low) < 1000:
            return [str(p) for p in range(int(low), int(high) + 1)]
    return [text]


def _ports(svc) -> list[tuple[str, str]]:
    """(published, target) pairs from short ("8080:80", "127.0.0.1:8080:80/tcp", "80",
    "8000-8001:80-81") and long syntax; published "" when the port is not published."""
    pairs: list[tuple[str, str]] = []
    for item in svc.get("ports") or []:
        if len(pairs) >= MAX_PORT_PAIRS:
            break  # ranges repeated by a hostile file: the rest would only cost memory
        if isinstance(item, dict):
            published = str(item.get("published") or "")
            targets, pubs = _expand(str(item.get("target") or "")), _expand(published) if published else [""]
        else:
            text = str(item).split("/")[0]
            if text.startswith("["):  # [::1]:8080:80
                text = text.split("]:", 1)[-1]
            parts = text.split(":")
            targets = _expand(parts[-1])
            pubs = _expand(parts[-2]) if len(parts) >= 2 and parts[-2] else [""]
        if len(pubs) == len(targets):
            pairs += list(zip(pubs, targets, strict=True))
        else:
            pairs += [(pubs[0], t) for t in targets]
    return pairs


@check_type(
    "compose_ports",
    required={"service": "str"},
    optional={**OPT, "target": "int", "published": "int", "absent": "bool", "listening": "bool"},
    sources=FILES,
    description="서비스가 컨테이너 포트를 공개 (선택: 호스트 포트); listening: true면 컨테이너 쪽이 프로그램이"
    " 실제로 듣는 포트여야 함; absent: true면 어떤 포트도 공개하지 않음",
    validate=lambda s: (
        []
        if s.get("absent") or "target" in s or s.get("listening")
        else [("target", "target 또는 listening이 필요합니다 (absent가 아니면).")]
    ),
)
def ports(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    pairs = _ports(svc)
    found = ", ".join(f"{p}:{t}" if p else t for p, t in pairs) or "ports 없음"
    label = f"서비스 '{spec['service']}'의 ports"
    if spec.get("absent"):
        # A port without a published side is still published (on a random host port).
        return Outcome(not pairs, label, "공개하지 않음 (ports 없음)", found)
    want_p = str(spec.get("published") or "")
    if spec.get("listening"):
        from ..programs import listening_ports

        listens = {str(p) for p in listening_ports({**_as_container(svc), "ports": []})}
        if "target" in spec:
            listens &= {str(spec["target"])}
        want_t = "/".join(sorted(listens)) or "?"
        ok = any(t in listens and (not want_p or p == want_p) for p, t in pairs)
        expected = f"{want_p or '호스트 포트'}:{want_t} (프로그램이 듣는 포트)"
        return Outcome(ok, label, expected, found)
    want_t = str(spec["target"])
    ok = any(t == want_t and (not want_p or p == want_p) for p, t in pairs)
    expected = f"{want_p}:{want_t}" if want_p else f"컨테이너 포트 {want_t}"
    return Outcome(ok, label, expected, found)


@check_type(
    "compose_depends_on",
    required={"service": "str", "on": "str"},
    optional=OPT,
    sources=FILES,
    description="서비스가 다른 서비스에 depends_on (목록이든 매핑이든)",
)
def depends_on(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    deps = svc.get("depends_on") or []
    names = list(deps) if isinstance(deps, (list, dict)) else []
    return Outcome(
        spec["on"] in names,
        f"서비스 '{spec['service']}'의 depends_on",
        spec["on"],
        ", ".join(map(str, names)) or "없음",
    )


def _environment(svc) -> dict:
    env = svc.get("environment") or {}
    if isinstance(env, dict):
        return {
            str(k): ("" if v is None else show(v) if isinstance(v, bool) else str(v)) for k, v in env.items()
        }
    result = {}
    for item in env if isinstance(env, list) else []:
        key, _, value = str(item).partition("=")
        result[key] = value
    return result


@check_type(
    "compose_environment",
    required={"service": "str", "key": "str"},
    optional={**OPT, "value": "str", "regex": "regex"},
    sources=FILES,
    description="서비스에 환경 변수가 있음 (선택: 정확한 값 value, 또는 정규식 regex; 보간한 뒤 비교)",
)
def environment(spec, source):
    svc, failed = _service(spec, source)
    if failed:
        return failed
    env = _environment(svc)
    label = f"서비스 '{spec['service']}'의 환경 변수 {spec['key']}"
    if "value" in spec:
        expected = spec["value"]
    elif "regex" in spec:
        expected = f"/{spec['regex']}/ 형식"
    else:
        expected = "비어 있지 않은 값"
    if spec["key"] not in env:
        return Outcome(False, label, expected, "없음")
    value = env[spec["key"]]
    if "value" in spec:
        ok = value == str(spec["value"])
    elif "regex" in spec:
        ok = bool(re.search(spec["regex"], value))
    else:
        ok = value != ""
    return Outcome(ok, label, expected, show(value) if value else "빈 값")


def _as_container(svc) -> dict:
    """A compose service seen as a container, so program settings read the same way."""
    command = svc.get("command") or []
    if isinstance(command, str):
        import shlex

        text = command
        try:
            command = shlex.split(text)
        except ValueError:
            command = text.split()
    env = [{"name": k, "value": v} for k, v in _environment(svc).items()]
    return {"image": svc.get("image"), "args": [str(c) for c in command], "env": env}


@check_type(
    "compose_setting",
    required={"service": "str", "setting": "str"},
    optional={**OPT, "value": "str"},
    sources=FILES,
    description="lab 이미지(kubaeum/web) 프로그램의 설정(port, text, files)을 플래그(--port=…)나 환경 변수(PORT)"
    " 어느 쪽으로 주든 읽어 비교 (value 없으면 비어 있지 않은 값)",
)
def compose_setting(spec, source):
    from ..programs import program_of, setting

    svc, failed = _service(spec, source)
    if failed:
        return failed
    container = _as_container(svc)
    label = f"서비스 '{spec['service']}'의 {spec['setting']} 설정"
    if program_of(container["image"]) is None:
        return Outcome(False, label, "kubaeum/web 이미지의 설정", f"이미지 {show(svc.get('image'))}")
    value = setting(container, spec["setting"])
    if "value" in spec:
        return Outcome(
            value == spec["value"], label, spec["value"], show(value) if value else "기본값(빈 값)"
        )
    return Outcome(bool(value), label, "비어 있지 않은 값", show(value) if value else "빈 값")
