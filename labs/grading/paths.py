"""Field paths in checks: `spec.template.spec.containers[name=web].image`, `items[0]`,
`metadata.labels['app.kubernetes.io/name']`. Parsed once when a lab is synced, so a
malformed path is an authoring error reported with its line, never a grading-time crash.
"""

import re

MISSING = object()

_KEY = r"[A-Za-z0-9_$-]+"
_SEGMENT = re.compile(
    rf"""(?P<key>{_KEY})
      | \[(?P<index>\d+)\]
      | \[(?P<mkey>{_KEY})=(?P<mval>[^\]'"]+)\]
      | \['(?P<sq>[^']+)'\]
      | \["(?P<dq>[^"]+)"\]
    """,
    re.VERBOSE,
)


class PathError(ValueError):
    pass


def parse_path(path: str) -> list[tuple]:
    """Steps: ("key", k) | ("index", i) | ("match", k, v). Raises PathError in Korean."""
    if not isinstance(path, str) or not path.strip():
        raise PathError("필드 경로가 비어 있습니다.")
    steps, pos, expect_key = [], 0, True
    while pos < len(path):
        if path[pos] == ".":
            if expect_key or pos + 1 >= len(path):
                raise PathError(f"필드 경로 '{path}'의 {pos + 1}번째 글자에 점(.)이 잘못 놓였습니다.")
            expect_key = True
            pos += 1
            continue
        m = _SEGMENT.match(path, pos)
        if not m or (m.group("key") and not expect_key):
            raise PathError(f"필드 경로 '{path}'를 {pos + 1}번째 글자부터 읽을 수 없습니다.")
        if m.group("key"):
            steps.append(("key", m.group("key")))
        elif m.group("index") is not None:
            steps.append(("index", int(m.group("index"))))
        elif m.group("mkey"):
            steps.append(("match", m.group("mkey"), m.group("mval")))
        else:
            steps.append(("key", m.group("sq") or m.group("dq")))
        expect_key = False
        pos = m.end()
    if expect_key:
        raise PathError(f"필드 경로 '{path}'가 점(.)으로 끝납니다.")
    return steps


def resolve(obj, path: str):
    """The value at path, or MISSING."""
    value = obj
    for step in parse_path(path):
        if step[0] == "key":
            if not isinstance(value, dict) or step[1] not in value:
                return MISSING
            value = value[step[1]]
        elif step[0] == "index":
            if not isinstance(value, list) or step[1] >= len(value):
                return MISSING
            value = value[step[1]]
        else:
            _, key, wanted = step
            if not isinstance(value, list):
                return MISSING
            found = [item for item in value if isinstance(item, dict) and str(item.get(key)) == wanted]
            if not found:
                return MISSING
            value = found[0]
    return value
