"""A small Dockerfile reader: instructions with their arguments, grouped by build stage.

Enough to answer the questions labs ask (which base image, which user, exec or shell
form); not a full BuildKit parser — heredocs and escape directives are read as text.
"""

import json
from dataclasses import dataclass, field

MAX_DOCKERFILE_BYTES = 200_000


class DockerfileError(ValueError):
    pass


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, USER...
    args: str
    line: int

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD/ENTRYPOINT/RUN exec form, or None for shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return value
        return None


@dataclass
class Stage:
    base: str
    alias: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


@dataclass
class Dockerfile:
    stages: list[Stage]

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def parse_dockerfile(text: str) -> Dockerfile:
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise DockerfileError("바이너리 파일은 Dockerfile로 받을 수 없습니다.")
        text = text.decode("utf-8", errors="replace")
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCKERFILE_BYTES:
        raise DockerfileError(
            f"Dockerfile이 너무 큽니다. 최대 {MAX_DOCKERFILE_BYTES:,}바이트까지 받을 수 있습니다."
        )
    if "\x00" in text:
        raise DockerfileError("바이너리 파일은 Dockerfile로 받을 수 없습니다.")
    stages: list[Stage] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):
            continue  # comments inside a continued instruction are dropped by Docker too
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        _add(stages, (pending + line).strip(), start)
        pending = ""
    if pending.strip():
        _add(stages, pending.strip(), start)
    return Dockerfile(stages)


def _add(stages: list[Stage], text: str, line: int) -> None:
    keyword, args = (text.split(None, 1) + [""])[:2]  # any whitespace: Docker also takes a tab
    keyword = keyword.upper()
    args = args.strip()
    if keyword == "FROM":
        parts = [p for p in args.split() if not p.startswith("--")]
        base = parts[0] if parts else ""
        alias = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else None
        stages.append(Stage(base=base, alias=alias, line=line))
    elif not stages:
        if keyword not in ("ARG",):
            raise DockerfileError(
                f"{line}번째 줄: 첫 명령은 FROM이어야 합니다 ('{keyword}'가 먼저 나왔습니다)."
            )
        return
    stages[-1].instructions.append(Instruction(keyword, args, line))


def image_is_pinned(image: str, stage_aliases: set[str]) -> tuple[bool, str]:
    """(pinned?, why) — a digest or an explicit tag other than latest; stage names are fine."""
    if image in stage_aliases or image == "scratch":
        return True, "빌드 단계 이름"
    if "@sha256:" in image:
        return True, "다이제스트로 고정"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return False, "태그 없음 (latest로 해석됨)"
    tag = last.split(":", 1)[1]
    if tag == "latest" or not tag or "$" in tag:
        return False, f"태그 '{tag}'"
    return True, f"태그 '{tag}'"
