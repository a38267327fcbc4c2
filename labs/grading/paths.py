"""Field paths in checks: `spec.template.spec.containers[name=web].image`, `items[0]`,
`ports[*].containerPort`, `metadata.labels['app.kubernetes.io/name']`. Parsed once when a
lab is synced, so a malformed path is an authoring error reported with its line, never a
grading-time crash.

`[*]` and `[key=value]` stand for every element that fits: a check passes when any of
the values reached satisfies it (the right port may well be the second one in the list).
"""

import re

MISSING = object()

_KEY = r"[A-Za-z0-9_$-]+"
_SEGMENT = re.compile(
    rf"""(?P<key>{_KEY})
      | \[(?P<index>\d+)\]
      | \[(?P<star>\*)\]
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
    steps: list[tuple] = []
    pos, expect_key = 0, True
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
        elif m.group("star"):
            steps.append(("all",))
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


def resolve_all(obj, path: str) -> list:
    """Every value the path reaches (several through `[*]` and `[key=value]`); [] if none."""
    values = [obj]
    for step in parse_path(path):
        reached = []
        for value in values:
            if step[0] == "key":
                if isinstance(value, dict) and step[1] in value:
                    reached.append(value[step[1]])
            elif step[0] == "index":
                if isinstance(value, list) and step[1] < len(value):
                    reached.append(value[step[1]])
            elif step[0] == "all":
                if isinstance(value, list):
                    reached.extend(value)
            elif isinstance(value, list):
                _, key, wanted = step
                reached.extend(i for i in value if isinstance(i, dict) and str(i.get(key)) == wanted)
        values = reached
    return values


def resolve(obj, path: str):
    """The first value at path, or MISSING."""
    found = resolve_all(obj, path)
    return found[0] if found else MISSING
