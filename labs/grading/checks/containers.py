"""env_from, env_value, volume_from, resources: questions about containers in a pod template."""

from kubernetes.utils import parse_quantity

from ..kinds import describe
from .common import containers, find, pod_spec, show
from .objects import compare
from .registry import Outcome, check_type

SOURCES = {
    "configmap": ("configMapKeyRef", "configMapRef", "컨피그맵"),
    "secret": ("secretKeyRef", "secretRef", "시크릿"),
}
WORKLOAD = {"name": "str", "source": "str", "source_name": "str"}
WORKLOAD_OPT = {"kind": "kind", "container": "str", "namespace": "str"}
SOURCE_KINDS = {"configmap": "ConfigMap", "secret": "Secret"}


def _validate_source(spec):
    if spec.get("source") not in SOURCES:
        return [("source", "source는 configmap 또는 secret이어야 합니다.")]
    return []


def _validate_env_source(spec):
    problems = _validate_source(spec)
    if ("source_name" in spec) == ("source_selector" in spec):
        problems.append(("source_name", "source_name과 source_selector 중 하나만 씁니다."))
    return problems


def _source_names(spec, source) -> tuple[set[str], str]:
    """The names the container may refer to, and how the expectation reads. By labels, only
    objects that exist count: a reference to a name that is not there starts no pod."""
    if "source_name" in spec:
        return {spec["source_name"]}, f"'{spec['source_name']}'"
    labels = spec["source_selector"]
    named = set()
    for obj in source.list(SOURCE_KINDS[spec["source"]], spec.get("namespace")):
        meta = obj.get("metadata") or {}
        if isinstance(meta.get("name"), str) and all(
            (meta.get("labels") or {}).get(k) == v for k, v in labels.items()
        ):
            named.add(meta["name"])
    return named, "(레이블 " + ",".join(f"{k}={v}" for k, v in labels.items()) + ", 실제로 있는 것)"


def _target(spec, source):
    spec = {"kind": "Deployment", **spec}
    obj, failed = find(spec, source)
    if failed:
        return None, failed
    found = containers(obj, spec.get("container"))
    if not found:
        what = f"컨테이너 '{spec['container']}'" if spec.get("container") else "컨테이너"
        return None, Outcome(False, describe(spec["kind"], spec["name"]), what, "없음")
    return found, None


@check_type(
    "env_from",
    required={"name": "str", "source": "str"},
    optional={**WORKLOAD_OPT, "source_name": "str", "source_selector": "dict", "key": "str", "env": "str"},
    description="컨테이너 환경 변수가 컨피그맵/시크릿에서 옴 (valueFrom 또는 envFrom); source_name 대신"
    " source_selector: 그 레이블이 붙은, 실제로 있는 오브젝트 (kustomize가 해시를 붙인 이름 등)",
    validate=_validate_env_source,
)
def env_from(spec, source):
    found, failed = _target(spec, source)
    if failed:
        return failed
    key_ref, all_ref, label = SOURCES[spec["source"]]
    names, wanted_name = _source_names(spec, source)
    wanted_env, wanted_key = spec.get("env"), spec.get("key")
    for c in found:
        for var in c.get("env") or []:
            ref = (var.get("valueFrom") or {}).get(key_ref) or {}
            if ref.get("name") not in names:
                continue
            if (wanted_key is None or ref.get("key") == wanted_key) and (
                wanted_env is None or var.get("name") == wanted_env
            ):
                return Outcome(True, "env", "", "")
        for item in c.get("envFrom") or []:
            if (item.get(all_ref) or {}).get("name") in names:
                prefix = item.get("prefix") or ""
                if wanted_env is None or wanted_key is None or prefix + wanted_key == wanted_env:
                    return Outcome(True, "envFrom", "", "")
    expected = f"{label} {wanted_name}" + (f"의 키 '{wanted_key}'" if wanted_key else "")
    if wanted_env:
        expected = f"환경 변수 {wanted_env} ← {expected}"
    current = sorted({v.get("name") for c in found for v in c.get("env") or []} - {None})
    found_text = ("환경 변수 " + ", ".join(current)) if current else "해당 환경 변수 없음"
    whole = sorted(
        {(i.get(all_ref) or {}).get("name") for c in found for i in c.get("envFrom") or []} - {None}
    )
    if whole:
        found_text += f"; envFrom {label} " + ", ".join(whole)
    return Outcome(False, "컨테이너 환경 변수", expected, found_text)


def _data(source, kind: str, name, namespace) -> dict:
    """A ConfigMap's data or a Secret's decoded values ({} when the object is not there)."""
    from .values import secret_values

    obj = source.get(kind, name, namespace) if name else None
    if obj is None:
        return {}
    if kind == "Secret":
        return secret_values(obj)
    return {str(k): str(v) for k, v in (obj.get("data") or {}).items()}


def effective_env(container: dict, source, namespace) -> dict[str, str | None]:
    """The environment a container starts with, as the kubelet builds it: envFrom sources in
    order (with their prefix), then env entries over them (a later duplicate wins), each
    valueFrom read from the ConfigMap or Secret it names (None when it cannot be read)."""
    env: dict[str, str | None] = {}
    for item in container.get("envFrom") or []:
        if not isinstance(item, dict):
            continue
        for ref_key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = item.get(ref_key)
            if isinstance(ref, dict):
                prefix = item.get("prefix") or ""
                env.update(
                    {prefix + k: v for k, v in _data(source, kind, ref.get("name"), namespace).items()}
                )
    for var in container.get("env") or []:
        if not isinstance(var, dict) or not var.get("name"):
            continue
        if "value" in var or not var.get("valueFrom"):
            env[var["name"]] = str(var.get("value") or "")
            continue
        value_from = var.get("valueFrom") or {}
        env[var["name"]] = None
        for ref_key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            ref = value_from.get(ref_key)
            if isinstance(ref, dict):
                env[var["name"]] = _data(source, kind, ref.get("name"), namespace).get(str(ref.get("key")))
    return env


@check_type(
    "env_value",
    required={"name": "str", "env": "str", "value": "str"},
    optional=WORKLOAD_OPT,
    description="컨테이너가 받는 환경 변수의 실제 값 (value든, 컨피그맵·시크릿의 키(valueFrom)든, envFrom이든"
    " 풀어서 비교)",
)
def env_value(spec, source):
    found, failed = _target(spec, source)
    if failed:
        return failed
    namespace = spec.get("namespace")
    obj = source.get(spec.get("kind", "Deployment"), spec["name"], namespace)
    namespace = namespace or ((obj or {}).get("metadata") or {}).get("namespace")
    for c in found:
        value = effective_env(c, source, namespace).get(spec["env"])
        label = f"컨테이너 '{c.get('name')}'의 환경 변수 {spec['env']}"
        if value != spec["value"]:
            return Outcome(False, label, spec["value"], "없음" if value is None else show(value) or "빈 값")
    return Outcome(True, spec["env"], "", spec["value"])


def _volume_files(vol: dict, source_kind: str, source_name: str) -> dict | None:
    """{file path inside the volume: key} a volume shows of that ConfigMap/Secret, or None.

    `items` narrows the keys and renames them; without items every key is a file. A
    projected volume may carry several sources."""
    parts: list
    if source_kind == "configmap":
        parts = [vol.get("configMap")] + [
            s.get("configMap") for s in (vol.get("projected") or {}).get("sources") or []
        ]
        parts = [p for p in parts if isinstance(p, dict) and p.get("name") == source_name]
    else:
        parts = [vol.get("secret")] + [
            s.get("secret") for s in (vol.get("projected") or {}).get("sources") or []
        ]
        parts = [
            p for p in parts if isinstance(p, dict) and (p.get("secretName") or p.get("name")) == source_name
        ]
    if not parts:
        return None
    files = {}
    for part in parts:
        items = part.get("items")
        if items:
            files.update({str(i.get("path")): str(i.get("key")) for i in items if isinstance(i, dict)})
        else:
            files["*"] = "*"  # every key, under its own name
    return files


def _file_in(files: dict, path_in_volume: str, key: str) -> bool:
    if files.get(path_in_volume) == key:
        return True
    return "*" in files and path_in_volume == key


def _norm(path: str) -> str:
    return "/" + "/".join(p for p in str(path).split("/") if p and p != ".")


@check_type(
    "volume_from",
    required=WORKLOAD,
    optional={**WORKLOAD_OPT, "mount_path": "str", "file": "str", "key": "str"},
    description="컨피그맵/시크릿을 볼륨으로 마운트 (file+key: 그 키가 이 경로의 파일로 보임 — 폴더 마운트든"
    " subPath든)",
    validate=lambda s: (
        _validate_source(s)
        + ([] if ("file" in s) == ("key" in s) else [("file", "file과 key는 함께 씁니다.")])
    ),
)
def volume_from(spec, source):
    found, failed = _target(spec, source)
    if failed:
        return failed
    obj = source.get(spec.get("kind", "Deployment"), spec["name"], spec.get("namespace"))
    label = SOURCES[spec["source"]][2]
    volumes = {}
    for vol in pod_spec(obj).get("volumes") or []:
        files = _volume_files(vol, spec["source"], spec["source_name"]) if isinstance(vol, dict) else None
        if files is not None:
            volumes[vol.get("name")] = files
    if spec.get("file"):
        expected = f"{label} '{spec['source_name']}'의 키 {spec['key']}가 파일 {spec['file']}로 보임"
    else:
        expected = f"{label} '{spec['source_name']}' 볼륨" + (
            f"이 {spec['mount_path']}에 마운트" if spec.get("mount_path") else " 마운트"
        )
    if not volumes:
        return Outcome(False, "볼륨", expected, f"{label} '{spec['source_name']}'를 쓰는 볼륨 없음")
    mounts = [m for c in found for m in c.get("volumeMounts") or [] if m.get("name") in volumes]
    if spec.get("file"):
        want = _norm(spec["file"])
        ok = False
        for m in mounts:
            files, mount = volumes[m["name"]], _norm(m.get("mountPath", ""))
            if m.get("subPath"):
                ok |= mount == want and _file_in(files, _norm(m["subPath"])[1:], spec["key"])
            elif want.startswith(mount.rstrip("/") + "/"):
                ok |= _file_in(files, want[len(mount.rstrip("/")) + 1 :], spec["key"])
    elif spec.get("mount_path"):
        ok = any(
            _norm(m.get("mountPath", "")) == _norm(spec["mount_path"]) and not m.get("subPath")
            for m in mounts
        )
    else:
        ok = bool(mounts)
    paths = (
        ", ".join(
            m.get("mountPath", "") + (f" (subPath {m['subPath']})" if m.get("subPath") else "")
            for m in mounts
        )
        or "마운트 없음"
    )
    return Outcome(ok, "볼륨 마운트", expected, paths)


RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage")


def requests_over_limits(res: dict) -> tuple[str, str, str] | None:
    """(resource, request, limit) of the first request above its limit, or None."""
    requests, limits = res.get("requests") or {}, res.get("limits") or {}
    for name in sorted(set(requests) & set(limits)):
        try:
            if parse_quantity(str(requests[name])) > parse_quantity(str(limits[name])):
                return name, str(requests[name]), str(limits[name])
        except ValueError:
            continue  # not a quantity: the bounds below say so
    return None


def _validate_resources(spec):
    errors = []
    for group in ("requests", "limits"):
        for name in spec.get(group) or []:
            if name not in RESOURCE_NAMES:
                errors.append((group, f"알 수 없는 리소스 '{name}' (cpu, memory, ephemeral-storage)"))
    for group in ("max", "min"):
        for key, value in (spec.get(group) or {}).items():
            if key.split(".")[0] not in ("requests", "limits") or key.partition(".")[2] not in RESOURCE_NAMES:
                errors.append((group, f"'{key}'는 'limits.cpu'처럼 써야 합니다."))
            try:
                parse_quantity(str(value))
            except ValueError:
                errors.append((group, f"'{value}'는 올바른 수량이 아닙니다."))
    if not any(spec.get(k) for k in ("requests", "limits", "max", "min")):
        errors.append(("requests", "requests, limits, max, min 중 하나 이상이 필요합니다."))
    return errors


@check_type(
    "resources",
    required={"name": "str"},
    optional={**WORKLOAD_OPT, "requests": "strlist", "limits": "strlist", "max": "dict", "min": "dict"},
    description="컨테이너 requests/limits 설정 (선택: 상한/하한)",
    validate=_validate_resources,
)
def resources(spec, source):
    found, failed = _target(spec, source)
    if failed:
        return failed
    for c in found:
        res = c.get("resources") or {}
        cname = c.get("name")
        for group in ("requests", "limits"):
            for name in spec.get(group) or []:
                if name not in (res.get(group) or {}):
                    return Outcome(False, f"컨테이너 '{cname}'의 resources.{group}.{name}", "설정됨", "없음")
        for bound, op in (("max", "lte"), ("min", "gte")):
            for key, limit in (spec.get(bound) or {}).items():
                part, _, name = key.partition(".")
                value = (res.get(part) or {}).get(name)
                ok, expected = compare(op, value, limit)
                if not ok:
                    return Outcome(False, f"컨테이너 '{cname}'의 resources.{key}", expected, show(value))
        over = requests_over_limits(res)
        if over:
            # The API server refuses such a pod; a file lab has no API server to say so.
            name, request, limit = over
            return Outcome(
                False,
                f"컨테이너 '{cname}'의 resources.requests.{name}",
                f"limits.{name}({limit}) 이하",
                request,
            )
    return Outcome(True, "resources", "", "")
