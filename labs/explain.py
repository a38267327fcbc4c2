"""Korean explanations for the API errors beginners meet in their first labs.

A pure function of the error text (from the editor or from kubectl's output): it returns
what went wrong in plain words and the way out, or None when the message is not one we
know. The page shows the explanation and keeps the original message folded below it.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Explanation:
    title: str
    advice: str

    @property
    def advice_html(self):
        """The advice with `commands` as <code>, everything else escaped."""
        parts = escape(self.advice).split("`")
        return mark_safe("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def _immutable_pod(m):
    return Explanation(
        "파드는 만든 뒤 대부분의 필드를 바꿀 수 없습니다 — 지우고 다시 만드세요.",
        "파드에서 나중에 바꿀 수 있는 것은 이미지 같은 몇 가지뿐입니다. "
        "`kubectl delete pod 이름`으로 지운 뒤 다시 적용하세요. 자주 바꿔야 한다면 디플로이먼트로 만들면 "
        "디플로이먼트가 파드를 새로 만들어 바꿔 줍니다.",
    )


def _immutable_field(m):
    field = m.group("field")
    return Explanation(
        f"{field}는 만든 뒤 바꿀 수 없는 필드입니다.",
        "이 값을 바꾸려면 오브젝트를 지우고(`kubectl delete …`) 새 값으로 다시 만드세요. "
        "디플로이먼트의 셀렉터가 대표적인 예입니다.",
    )


def _unknown_field(m):
    field = m.group("field").lstrip(".")
    name = field.rsplit(".", 1)[-1]
    return Explanation(
        f"'{name}'는 이 위치에 쓸 수 없는 필드입니다 ({field}).",
        "철자를 확인하고(대소문자도 구분합니다), 들여쓰기 때문에 다른 항목 아래로 들어가지 않았는지 보세요. "
        "`kubectl explain` 명령으로 쓸 수 있는 필드를 확인할 수 있습니다 (예: `kubectl explain pod.spec`).",
    )


def _indentation(m):
    return Explanation(
        "YAML 들여쓰기가 맞지 않습니다.",
        "같은 수준의 항목은 왼쪽 끝을 똑같이 맞춰야 합니다. 들여쓰기는 공백 2칸씩 쓰고 탭은 쓰지 마세요. "
        "표시된 줄과 그 바로 위 줄의 시작 위치를 비교해 보세요.",
    )


def _quota(m):
    requested = re.search(r"requested: ([\w.=/]+)", m.string)
    resource = requested.group(1) if requested else "자원"
    return Explanation(
        f"실습 네임스페이스에 정해진 할당량(ResourceQuota)을 넘었습니다 ({resource}).",
        "필요 없는 오브젝트를 지우거나 레플리카 수·requests 값을 줄이세요. "
        "`kubectl describe resourcequota`로 얼마나 쓰고 있는지 볼 수 있습니다.",
    )


def _forbidden(m):
    return Explanation(
        "이 실습 계정에는 그 작업을 할 권한이 없습니다.",
        "실습에서는 내 네임스페이스 안의 오브젝트만 다룰 수 있습니다. 다른 네임스페이스(-n, metadata.namespace)나 "
        "클러스터 전체 리소스(노드, 네임스페이스 만들기 등)를 대상으로 하지 않았는지 확인하세요. "
        "`kubectl auth can-i create deployments`로 권한을 확인할 수 있습니다.",
    )


def _not_found(m):
    return Explanation(
        "그런 이름의 오브젝트가 없습니다.",
        "이름의 철자를 확인하고 `kubectl get` 으로 지금 있는 오브젝트 목록을 보세요.",
    )


def _already_exists(m):
    return Explanation(
        "같은 이름의 오브젝트가 이미 있습니다.",
        "`kubectl create`는 새로 만들 때만 씁니다. 바꾸려면 편집기의 '적용'을 쓰거나, 지운 뒤 다시 만드세요.",
    )


PATTERNS = [
    (
        re.compile(r"pod updates may not change fields|Pod .* is invalid: spec: Forbidden", re.I),
        _immutable_pod,
    ),
    (re.compile(r"(?P<field>[\w.\[\]]+): Invalid value: .*field is immutable", re.I), _immutable_field),
    (re.compile(r"(?P<field>\.[\w.\[\]=\"-]+): field not declared in schema"), _unknown_field),
    (re.compile(r'unknown field "(?P<field>[\w.\[\]-]+)"'), _unknown_field),
    (
        re.compile(r"<block end>|<block mapping start>|들여쓰기|mapping values are not allowed", re.I),
        _indentation,
    ),
    (re.compile(r"exceeded quota", re.I), _quota),
    (re.compile(r"is forbidden: User .* cannot|\(Forbidden\)|권한이 없습니다", re.I), _forbidden),
    (re.compile(r"Error from server \(NotFound\)|not found$", re.I | re.M), _not_found),
    (re.compile(r"Error from server \(AlreadyExists\)|already exists", re.I), _already_exists),
]


def explain(text: str) -> Explanation | None:
    if not text:
        return None
    for pattern, make in PATTERNS:
        match = pattern.search(text)
        if match:
            return make(match)
    return None
