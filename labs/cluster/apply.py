"""Server-side apply of manifest dicts, with Korean errors a student can act on.

Used for lab setup objects, the YAML editor ("검증" = dry run, "적용" = apply) and the
lab self-test. Every call goes through the caller's ApiClient, so a student's apply is
checked by the API server with the student's own rights.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from kubernetes.client import ApiClient
from kubernetes.client.exceptions import ApiException
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ResourceNotFoundError
from urllib3.exceptions import HTTPError

FIELD_MANAGER = "kubaeum"


class ApplyError(ValueError):
    """Korean message naming the document, the object and the API server's reason."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


def dynamic_client(api: ApiClient) -> DynamicClient:
    # Discovery is cached on disk per API server so that each request does not walk
    # every API group again; the cache holds no credentials.
    host = api.configuration.host
    cache_dir = Path(settings.KUBAEUM_STATE_DIR) / "discovery"
    cache_dir.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(host.encode()).hexdigest()[:16] + ".json"
    return DynamicClient(api, cache_file=str(cache_dir / name))


def describe(manifest: dict) -> str:
    kind = manifest.get("kind", "?")
    name = (manifest.get("metadata") or {}).get("name", "?")
    return f"{kind}/{name}"


def api_reason(exc: ApiException) -> str:
    """The API server's own explanation, without the HTTP noise around it."""
    try:
        body = json.loads(exc.body or "{}")
    except (TypeError, ValueError):
        return exc.reason or str(exc.status)
    causes = (body.get("details") or {}).get("causes") or []
    parts = [f"{c.get('field', '')}: {c.get('message', '')}".strip(": ") for c in causes]
    return "; ".join(p for p in parts if p) or body.get("message") or exc.reason or str(exc.status)


STATUS_KO = {
    400: "요청 형식이 잘못되었습니다",
    403: "권한이 없습니다",
    404: "대상을 찾을 수 없습니다",
    409: "다른 변경과 충돌했습니다",
    422: "유효하지 않은 값입니다",
}


def apply_manifests(
    api: ApiClient,
    manifests: list[dict],
    namespace: str | None = None,
    dry_run: bool = False,
    field_manager: str = FIELD_MANAGER,
) -> list[dict]:
    """Server-side apply each manifest in order; return the API server's objects.

    Namespaced objects land in `namespace` when given (a manifest naming another
    namespace is refused here, before the API server would refuse it less clearly).
    Stops at the first failure with an ApplyError naming the document.
    """
    client = dynamic_client(api)
    applied = []
    for index, manifest in enumerate(manifests):
        label = f"문서 {index + 1} ({describe(manifest)})"
        try:
            resource = client.resources.get(api_version=manifest["apiVersion"], kind=manifest["kind"])
        except ResourceNotFoundError:
            raise ApplyError(
                f"{label}: 이 클러스터는 apiVersion '{manifest.get('apiVersion')}'의 "
                f"kind '{manifest.get('kind')}'를 알지 못합니다. 철자와 apiVersion을 확인하세요.",
                index,
            ) from None
        body = json.loads(json.dumps(manifest))  # a copy we may change
        meta = body.setdefault("metadata", {})
        target_ns = None
        if resource.namespaced:
            requested = meta.get("namespace")
            if namespace and requested and requested != namespace:
                raise ApplyError(
                    f"{label}: 네임스페이스 '{requested}'에는 적용할 수 없습니다. "
                    f"이 실습의 네임스페이스는 '{namespace}'입니다 (metadata.namespace를 지우세요).",
                    index,
                )
            target_ns = requested or namespace or "default"
            meta["namespace"] = target_ns
        kwargs = {"dry_run": "All"} if dry_run else {}
        try:
            result = client.server_side_apply(
                resource,
                body=body,
                name=meta.get("name"),
                namespace=target_ns,
                field_manager=field_manager,
                force_conflicts=True,
                **kwargs,
            )
        except ApiException as exc:
            reason = api_reason(exc)
            # A field of the wrong type fails inside the API server's apply machinery and
            # comes back as a 500, but it is the manifest's fault, not the server's.
            status = 422 if exc.status == 500 and "typed patch" in reason else exc.status
            summary = STATUS_KO.get(status, f"API 서버 오류 {exc.status}")
            raise ApplyError(f"{label}: {summary} — {reason}", index) from None
        except (HTTPError, OSError) as exc:
            raise ApplyError(
                f"{label}: 쿠버네티스 API 서버에 연결하지 못했습니다 ({exc.__class__.__name__}).", index
            ) from None
        applied.append(result.to_dict())
    return applied
