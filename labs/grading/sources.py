"""State sources: what checks read. One interface, two implementations.

LiveSource reads a sandbox through the session's own ApiClient (so grading can never see
more than the student can) and caches each list for the grading run: checks ask for
"the Deployment web" many times, the API server is asked once per kind.
FileSource answers the same questions from submitted files, plus Dockerfile and compose.
"""

from __future__ import annotations

import builtins  # the sources' own `list` method shadows the type inside their classes
import json
from collections.abc import Iterable, Mapping

from kubaeum.safe_yaml import SafeYamlError, load_documents
from labs.spec import FileSpec

from .dockerfile import Dockerfile, parse_dockerfile
from .kinds import KINDS, describe, is_namespaced, matches
from .manifests import manifests_from

# Values (scalars, mappings, lists) one submitted YAML file may hold: the YAML editor's budget
# (labs/console/editor.py uses it too). A compose file or a lab's manifests have a few
# hundred; a hostile file of tiny values is refused by libyaml's fast count before the
# pure-Python loader spends seconds of CPU on it.
MAX_NODES = 5000


class SourceError(RuntimeError):
    """A Korean message: the state could not be read (permission, API down...)."""


class BaseSource:
    # Whether the sandbox runs real containers (kind): only then can behaviour be observed.
    real_containers = False

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        raise NotImplementedError

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict | None:
        for obj in self.list(kind, namespace):
            if obj.get("metadata", {}).get("name") == name:
                return obj
        return None

    def select(self, kind: str, selector: dict, namespace: str | None = None) -> builtins.list[dict]:
        return [
            o for o in self.list(kind, namespace) if matches(o.get("metadata", {}).get("labels"), selector)
        ]

    def dockerfile(self, name: str | None = None):
        return None

    def compose(self, name: str | None = None):
        return None


class LiveSource(BaseSource):
    def __init__(
        self, api_client, namespace: str | None = None, timeout: float = 10, real_containers: bool = False
    ):
        self.api = api_client
        self.real_containers = real_containers
        self.namespace = namespace or None
        self.timeout = timeout
        self._cache: dict[tuple, list] = {}
        self.requests = 0

    def _namespace_for(self, kind: str, namespace: str | None) -> str | None:
        if not is_namespaced(kind):
            return None
        # A namespace sandbox is the whole world: a check can never look elsewhere.
        return self.namespace or namespace

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        if kind not in KINDS:
            raise SourceError(f"알 수 없는 종류 '{kind}'입니다.")
        ns = self._namespace_for(kind, namespace)
        key = (kind, ns)
        if key not in self._cache:
            self._cache[key] = self._fetch(kind, ns)
        return self._cache[key]

    def _fetch(self, kind: str, ns: str | None) -> builtins.list[dict]:
        prefix, plural, _ = KINDS[kind]
        path = f"{prefix}/namespaces/{ns}/{plural}" if ns else f"{prefix}/{plural}"
        status, data = self.raw_get(path)
        if status == 404:
            return []
        if status in (401, 403):
            raise SourceError(f"{describe(kind)} 목록을 읽을 권한이 없습니다 (HTTP {status}).")
        if status != 200:
            raise SourceError(f"쿠버네티스 API가 {describe(kind)} 목록 요청에 HTTP {status}로 응답했습니다.")
        items = data.get("items") or []
        for item in items:
            item.setdefault("kind", kind)
        return items

    def proxy_get(self, service: str, port: int, path: str = "/") -> tuple[int, str]:
        """GET through the API server's service proxy: what a client in the cluster would get."""
        ns = self.namespace or "default"
        status, body = self._get(
            f"/api/v1/namespaces/{ns}/services/{service}:{port}/proxy/{path.lstrip('/')}"
        )
        return status, body.decode("utf-8", errors="replace")

    def raw_get(self, path: str) -> tuple[int, dict]:
        status, body = self._get(path)
        try:
            return status, json.loads(body or b"{}")
        except ValueError:
            return status, {}

    def _get(self, path: str) -> tuple[int, bytes]:
        self.requests += 1
        method, url, headers, _, _ = self.api.param_serialize(
            method="GET",
            resource_path=path,
            header_params={"Accept": "application/json, */*"},
            auth_settings=["BearerToken"],
        )
        try:
            resp = self.api.call_api(method, url, header_params=headers, _request_timeout=self.timeout)
            body = resp.read()
        except Exception as exc:  # connection refused, TLS, timeout: all mean "cannot read now"
            raise SourceError(f"쿠버네티스 API에 연결할 수 없습니다: {type(exc).__name__}") from exc
        return resp.status, body or b""


class FileSource(BaseSource):
    """Submitted files: {name: text}; the lab's FileSpecs say what each file is (manifests|dockerfile|compose).

    Parsing errors propagate as SafeYamlError / DockerfileError so the caller can refuse
    the submission with the message before any grading is queued.
    """

    def __init__(self, files: Mapping[str, str], specs: Iterable[FileSpec]):
        self.objects: list[dict] = []
        self._dockerfiles: dict[str, Dockerfile] = {}
        self._composes: dict[str, dict] = {}
        for spec in specs:
            name, kind = spec.name, spec.kind
            text = files.get(name) or ""
            if kind == "manifests":
                if text.strip():
                    located = load_documents(text, track_lines=True, max_nodes=MAX_NODES)
                    self.objects.extend(manifests_from(located))
            elif kind == "dockerfile":
                self._dockerfiles[name] = parse_dockerfile(text)
            elif kind == "compose":
                docs = load_documents(text, max_docs=1, max_nodes=MAX_NODES) if text.strip() else []
                value = docs[0][0] if docs else None
                if value is not None and not isinstance(value, dict):
                    raise SafeYamlError("compose 파일은 '키: 값' 형태의 매핑이어야 합니다.", doc=1, line=1)
                self._composes[name] = value or {}

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        found = [o for o in self.objects if o.get("kind") == kind]
        if namespace:
            found = [o for o in found if o.get("metadata", {}).get("namespace") in (None, namespace)]
        return found

    def dockerfile(self, name: str | None = None):
        if name:
            return self._dockerfiles.get(name)
        return next(iter(self._dockerfiles.values()), None)

    def compose(self, name: str | None = None):
        if name:
            return self._composes.get(name)
        return next(iter(self._composes.values()), None)
