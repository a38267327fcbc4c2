"""Kubernetes manifests as students and authors write them: parsed by the safe loader, then
checked for the mistakes the API server would refuse for every kind, with their line."""

import re

from kubaeum.safe_yaml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DOCS,
    SafeYamlError,
    line_of,
    load_documents,
    plain,
    shorten,
)


def parse_manifests(data, max_bytes=MAX_BYTES, max_docs=MAX_DOCS, max_depth=MAX_DEPTH) -> list[dict]:
    """Kubernetes manifests: a list of plain dicts, each with apiVersion, kind and metadata.name,
    checked for the mistakes every kind shares (see schema_problem)."""
    docs = load_documents(data, max_bytes=max_bytes, max_docs=max_docs, max_depth=max_depth, track_lines=True)
    return manifests_from(docs)


def manifests_from(docs) -> list[dict]:
    """parse_manifests for documents already loaded with track_lines=True (parse once)."""
    if not docs:
        raise SafeYamlError("매니페스트가 비어 있습니다.")
    manifests = []
    for value, line, index in docs:
        if not isinstance(value, dict):
            raise SafeYamlError(
                "문서는 '키: 값' 형태의 매핑이어야 합니다 (목록이나 문자열은 안 됩니다).", index, line
            )
        for field in ("apiVersion", "kind"):
            if not isinstance(value.get(field), str) or not value.get(field):
                raise SafeYamlError(f"'{field}' 필드가 없습니다.", index, line)
        meta = value.get("metadata")
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta.get("name"):
            where = line_of(value, "metadata", line)
            if meta is not None and not isinstance(meta, dict):
                raise SafeYamlError("'metadata'는 매핑이어야 합니다.", index, where)
            raise SafeYamlError("'metadata.name' 필드가 없습니다.", index, where)
        problem = schema_problem(value)
        if problem:
            path, holder, key, message = problem
            raise SafeYamlError(f"{path}: {message}", index, line_of(holder, key, line))
        manifests.append(plain(value))
    return manifests


NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[a-z0-9]+$")


def schema_problem(doc: dict):
    """The first mistake the API server would certainly refuse: (path, holder, key, message).

    Only what is wrong for every kind; a message with the line beats the API server's
    "cannot unmarshal" later. The API server (dry-run) still validates everything else.
    """
    if doc["apiVersion"].count("/") > 1 or not API_VERSION.match(doc["apiVersion"]):
        return (
            "apiVersion",
            doc,
            "apiVersion",
            f"apiVersion '{shorten(doc['apiVersion'])}'은(는) 형식이 맞지 않습니다. "
            "'v1'이나 'apps/v1'처럼 '그룹/버전' 또는 '버전'으로 쓰세요.",
        )
    meta = doc["metadata"]
    name = meta["name"]
    if len(name) > 253 or not NAME.match(name):
        return (
            "metadata.name",
            meta,
            "name",
            f"이름 '{name}'은(는) 쓸 수 없습니다. 영문 소문자, 숫자, '-', '.'만 쓰고 영문자나 숫자로 시작하고 끝나야 합니다.",
        )
    for group in ("labels", "annotations"):
        entries = meta.get(group)
        if entries is None:
            continue
        if not isinstance(entries, dict):
            return f"metadata.{group}", meta, group, "'키: 값' 형태의 매핑이어야 합니다."
        for key, value in entries.items():
            if not isinstance(value, str):
                return (
                    f"metadata.{group}.{key}",
                    entries,
                    key,
                    f'값은 문자열이어야 합니다. 따옴표로 감싸세요 (예: {key}: "{_yamlish(value)}").',
                )
    spec = doc.get("spec")
    if spec is not None and not isinstance(spec, dict):
        return "spec", doc, "spec", "'키: 값' 형태의 매핑이어야 합니다."
    pod_spec, prefix = None, ""
    template = (spec or {}).get("template")
    if doc["kind"] == "Pod":
        pod_spec, prefix = spec, "spec"
    elif isinstance(template, dict) and isinstance(template.get("spec"), dict):
        pod_spec, prefix = template["spec"], "spec.template.spec"
    if not pod_spec:
        return None
    containers = pod_spec.get("containers")
    if containers is not None and not isinstance(containers, list):
        return f"{prefix}.containers", pod_spec, "containers", "컨테이너 목록('- name: ...')이어야 합니다."
    for i, c in enumerate(containers or []):
        if not isinstance(c, dict):
            return (
                f"{prefix}.containers[{i}]",
                containers,
                None,
                "각 컨테이너는 name, image를 가진 매핑이어야 합니다.",
            )
        for field in ("name", "image"):
            if field in c and not isinstance(c[field], str):
                return f"{prefix}.containers[{i}].{field}", c, field, "문자열이어야 합니다."
        for field in ("env", "ports", "volumeMounts", "command", "args"):
            if c.get(field) is not None and not isinstance(c[field], list):
                return (
                    f"{prefix}.containers[{i}].{field}",
                    c,
                    field,
                    f"{field}는 목록이어야 합니다 (각 항목을 '- '로 시작하세요).",
                )
        for j, env in enumerate(c.get("env") or []):
            if isinstance(env, dict) and "value" in env and not isinstance(env["value"], str):
                return (
                    f"{prefix}.containers[{i}].env[{j}].value",
                    env,
                    "value",
                    f'환경 변수 값은 문자열이어야 합니다. 따옴표로 감싸세요 (예: value: "{_yamlish(env["value"])}").',
                )
    return None


def _yamlish(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
