"""The YAML editor's two buttons: "검증" (server-side dry run) and "적용" (server-side apply).

Everything a student types goes through the safe YAML loader (kubaeum/safe_yaml.py) first; the API server then
judges the objects with the session's own rights. Errors carry a line number when we can
find one, so the editor can mark it.
"""

import re
from dataclasses import dataclass, field

from urllib3.exceptions import HTTPError

from kubaeum.errors import UserError
from kubaeum.safe_yaml import SafeYamlError, load_documents
from labs.cluster.apply import ApplyError, apply_manifests
from labs.grading.manifests import manifests_from
from labs.grading.sources import MAX_NODES
from labs.sandbox.services import SessionError, record_activity, session_api_client

MAX_BYTES = 256 * 1024
UNREACHABLE = "실습 클러스터에 연결하지 못했습니다. 잠시 뒤 다시 시도하세요. 계속 안 되면 세션을 끝내고 새로 시작하세요."


class EditorRefused(UserError):
    def __init__(self, message: str, line: int | None = None, status: int = 400):
        super().__init__(message, status)
        self.line = line

    def context(self) -> dict:
        return {"line": self.line}


@dataclass
class EditorResult:
    dry_run: bool
    objects: list[str] = field(default_factory=list)


def submit(session, text: str, dry_run: bool) -> EditorResult:
    """Raises EditorRefused (with a Korean message, a line if known and an HTTP status)."""
    if not session.is_usable:
        raise EditorRefused(
            "실습 세션이 끝났거나 아직 준비되지 않았습니다. 세션을 다시 시작하세요.", status=409
        )
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_BYTES:
        raise EditorRefused(
            f"YAML이 너무 큽니다 ({size:,}바이트). 편집기에서는 {MAX_BYTES // 1024}KB까지 적용할 수 있습니다.",
            status=413,
        )
    try:
        # Parsed once: the located documents give both the lines and the manifests. The
        # value budget is the one of file-lab submissions.
        located = load_documents(text, max_bytes=MAX_BYTES, track_lines=True, max_nodes=MAX_NODES)
        _refuse_lists(located)
        manifests = [_without_server_fields(m) for m in manifests_from(located)]
    except SafeYamlError as exc:
        raise EditorRefused(str(exc), exc.line) from None
    _refuse_other_namespaces(session, located)
    try:
        api = session_api_client(session)
    except SessionError as exc:  # its credentials are gone or unreadable
        raise EditorRefused(str(exc), status=409) from None
    record_activity(session)
    try:
        applied = apply_manifests(api, manifests, namespace=session.namespace or None, dry_run=dry_run)
    except ApplyError as exc:
        status = 502 if "API 서버에 연결하지 못했습니다" in str(exc) else 422
        raise EditorRefused(str(exc), _line_for(located, exc.index, str(exc)), status=status) from None
    except (HTTPError, OSError):
        # Discovery (before any manifest is sent) found no API server; its error names our hosts.
        raise EditorRefused(UNREACHABLE, status=502) from None
    except (ValueError, TypeError, KeyError, AttributeError):
        # The client library choking on a shape the API server would refuse anyway.
        raise EditorRefused(
            "매니페스트를 API 서버에 보낼 수 없습니다. apiVersion, kind, 필드의 형식을 확인하세요.",
            located[0][1] if located else None,
            status=422,
        ) from None
    finally:
        api.close()
    return EditorResult(dry_run, [_label(obj) for obj in applied])


# What `kubectl get … -o yaml` adds and a server-side apply must not carry (managedFields
# is refused outright, a stale resourceVersion would conflict): students paste that output.
SERVER_METADATA = ("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _without_server_fields(manifest: dict) -> dict:
    manifest.pop("status", None)
    meta = manifest.get("metadata") or {}
    for key in SERVER_METADATA:
        meta.pop(key, None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
        if not annotations:
            meta.pop("annotations")
    return manifest


def _refuse_lists(located) -> None:
    for number, (doc, line, _index) in enumerate(located, start=1):
        if isinstance(doc, dict) and doc.get("kind") == "List":
            raise EditorRefused(
                f"문서 {number}: kind: List는 적용할 수 없습니다. 'kubectl get deployment web -o yaml'처럼 "
                "이름을 적어 객체 하나씩 가져오거나, 문서마다 --- 로 나눠 적으세요.",
                line,
            )


def _refuse_other_namespaces(session, located) -> None:
    if not session.namespace:
        return  # a cluster-scope sandbox is the student's whole cluster
    for number, (doc, _line, _index) in enumerate(located, start=1):
        meta = doc.get("metadata") if isinstance(doc, dict) else None
        requested = meta.get("namespace") if isinstance(meta, dict) else None
        if requested and requested != session.namespace:
            line = getattr(meta, "key_lines", {}).get("namespace")
            raise EditorRefused(
                f"문서 {number}: metadata.namespace가 '{requested}'입니다. 이 실습에서는 네임스페이스 "
                f"'{session.namespace}'에만 적용할 수 있습니다. metadata.namespace 줄을 지우면 "
                "자동으로 이 실습의 네임스페이스에 들어갑니다.",
                line,
            )


_FIELD = re.compile(r"((?:[A-Za-z][\w-]*)(?:\[\d+\]|\.[A-Za-z][\w-]*)+)")


def _line_for(located, index: int | None, message: str) -> int | None:
    """The line of the field the API server complained about, else the document's first line."""
    if index is None or index >= len(located):
        return None
    doc, start, _ = located[index]
    for path in _FIELD.findall(message.split("—", 1)[-1]):
        line = _walk(doc, re.findall(r"[A-Za-z][\w-]*|\[\d+\]", path))
        if line:
            return line
    return start


def _walk(node, parts) -> int | None:
    line = None
    for part in parts:
        if part.startswith("["):
            position = int(part[1:-1])
            if not isinstance(node, list) or position >= len(node):
                return line
            node = node[position]
            line = getattr(node, "line", line)
        else:
            if not isinstance(node, dict) or part not in node:
                return line
            line = getattr(node, "key_lines", {}).get(part, line)
            node = node[part]
    return line


def _label(obj: dict) -> str:
    group = obj.get("apiVersion", "").rpartition("/")[0]
    kind = obj.get("kind", "").lower()
    name = (obj.get("metadata") or {}).get("name", "")
    return f"{kind}.{group}/{name}" if group else f"{kind}/{name}"
