"""A Dockerfile reader: instructions grouped by build stage, with what a build resolves.

Stages are linked (`FROM build AS final` continues stage `build`, so its USER, WORKDIR,
CMD carry over), ARG defaults declared before the first FROM are substituted into FROM
lines, relative WORKDIR and COPY destinations are resolved, and COPY/ADD of local files
are told apart from `COPY --from` and ADD of URLs. Not a full BuildKit parser: heredocs
and escape directives are read as text.
"""

import functools
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field

MAX_DOCKERFILE_BYTES = 200_000
# Bounded work for a hostile file: a real Dockerfile has tens of instructions and a few
# stages; the checks walk the chain once per stage (see Stage.states), and an ARG that repeats
# the one before it cannot double its way to gigabytes.
MAX_INSTRUCTIONS = 500
MAX_STAGES = 50
MAX_EXPANDED_CHARS = 16 * 1024  # what variables may add to one value or instruction
MAX_PATH_CHARS = 1024
MAX_DIRECTORIES = 2000


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
    base: str  # as written, with ARG defaults substituted
    alias: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)
    parent: "Stage | None" = None  # FROM <earlier stage>
    raw_base: str = ""

    @property
    def chain(self) -> list["Stage"]:
        """This stage and the stages it is built on, oldest first."""
        stages: list[Stage] = []
        stage: Stage | None = self
        # By identity: dataclass equality would compare whole stages, parents included.
        while stage is not None and not any(s is stage for s in stages):
            stages.append(stage)
            stage = stage.parent
        return stages[::-1]

    @functools.cached_property
    def states(self) -> "tuple[dict[int, _State], _State]":
        """The chain's state before each instruction (by id) and at its end: one walk per
        stage, however many instructions the checks ask about (see _walk)."""
        return _walk(self)

    @property
    def image(self) -> str:
        """The external image at the root of the chain."""
        return self.chain[0].base

    def effective(self, keyword: str) -> list[Instruction]:
        """Every instruction of that keyword in the chain, in build order."""
        return [i for s in self.chain for i in s.all(keyword)]

    def effective_last(self, keyword: str) -> Instruction | None:
        found = self.effective(keyword)
        return found[-1] if found else None

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
    global_args: dict[str, str] = {}
    count = 0

    def add(text: str, line: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_INSTRUCTIONS:
            raise DockerfileError(f"{line}번째 줄: 명령이 너무 많습니다 (최대 {MAX_INSTRUCTIONS}개).")
        _add(stages, global_args, text, line)

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
        add((pending + line).strip(), start)
        pending = ""
    if pending.strip():
        add(pending.strip(), start)
    for stage in stages:
        _state(stage, None)  # what the checks will read, computed now: an ARG bomb is refused here
    return Dockerfile(stages)


_VAR = re.compile(
    r"\$(?:\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::?(?P<op>[-+])(?P<word>[^}]*))?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def substitute(text: str, values: dict[str, str]) -> str:
    """$VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt} as Docker expands them."""

    def one(m):
        name = m.group("name") or m.group("bare")
        value = values.get(name)
        op = m.group("op")
        if op == "-":
            return value if value else m.group("word")
        if op == "+":
            return m.group("word") if value else ""
        return value or ""

    out: list[str] = []
    added = last = 0
    for m in _VAR.finditer(text):
        value = one(m)
        added += len(value)
        if added > MAX_EXPANDED_CHARS:
            raise DockerfileError(
                f"변수를 펼친 값이 너무 깁니다 (최대 {MAX_EXPANDED_CHARS:,}자). "
                "ARG와 ENV가 앞의 값을 되풀이해 부풀리지 않게 고치세요."
            )
        out += (text[last : m.start()], value)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _arg_default(args: str) -> tuple[str, str | None]:
    name, sep, default = args.partition("=")
    return name.strip(), (default.strip().strip('"').strip("'") if sep else None)


def _add(stages: list[Stage], global_args: dict, text: str, line: int) -> None:
    keyword, args = (text.split(None, 1) + [""])[:2]  # any whitespace: Docker also takes a tab
    keyword = keyword.upper()
    args = args.strip()
    if keyword == "FROM" and len(stages) >= MAX_STAGES:
        raise DockerfileError(f"{line}번째 줄: 빌드 단계(FROM)가 너무 많습니다 (최대 {MAX_STAGES}개).")
    if keyword == "FROM":
        parts = [p for p in args.split() if not p.startswith("--")]
        raw = parts[0] if parts else ""
        base = substitute(raw, global_args)
        alias = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else None
        parent = next((s for s in reversed(stages) if s.alias and s.alias.lower() == base.lower()), None)
        if parent is None and base.isdigit() and int(base) < len(stages):
            parent = stages[int(base)]
        stages.append(Stage(base=base, alias=alias, line=line, parent=parent, raw_base=raw))
    elif not stages:
        if keyword not in ("ARG",):
            raise DockerfileError(
                f"{line}번째 줄: 첫 명령은 FROM이어야 합니다 ('{keyword}'가 먼저 나왔습니다)."
            )
        name, default = _arg_default(args)
        if default is not None:
            global_args[name] = default
        return
    stages[-1].instructions.append(Instruction(keyword, args, line))


@dataclass(frozen=True)
class _State:
    """What is in effect just before an instruction: ARG/ENV values, WORKDIR, the
    directories known to exist (every WORKDIR and its parents: WORKDIR creates them)."""

    values: dict
    workdir: str
    dirs: frozenset


def _walk(stage: Stage) -> tuple[dict[int, _State], _State]:
    """One walk of the stage's chain (Stage.states keeps it: the checks ask per instruction,
    and walking the chain for each was cubic in the number of WORKDIRs)."""
    before: dict[int, _State] = {}
    values: dict[str, str] = {}
    current, dirs = "/", {"/"}
    for s in stage.chain:
        for ins in s.instructions:
            before[id(ins)] = _State(dict(values), current, frozenset(dirs))
            try:
                substitute(ins.args, values)  # the checks expand it later: refuse a bomb now
                if ins.keyword == "ARG":
                    name, default = _arg_default(ins.args)
                    if default is not None:
                        values[name] = substitute(default, values)
                elif ins.keyword == "ENV":
                    for name, value in _env_pairs(ins.args):
                        values[name] = substitute(value, values)
            except DockerfileError as exc:
                raise DockerfileError(f"{ins.line}번째 줄 {ins.keyword}: {exc}") from None
            if ins.keyword == "WORKDIR":
                path = substitute(ins.args.strip().strip('"'), values)
                current = posixpath.normpath(posixpath.join(current, path)) if path else current
                if len(current) > MAX_PATH_CHARS or len(dirs) > MAX_DIRECTORIES:
                    raise DockerfileError(
                        f"{ins.line}번째 줄 WORKDIR: 경로가 너무 길거나 많습니다 "
                        f"(경로는 {MAX_PATH_CHARS:,}자, 디렉터리는 {MAX_DIRECTORIES:,}개까지)."
                    )
                path = current
                while path not in dirs:
                    dirs.add(path)
                    path = posixpath.dirname(path)
    return before, _State(values, current, frozenset(dirs))


def _state(stage: Stage, upto: Instruction | None) -> _State:
    before, end = stage.states
    return before.get(id(upto), end) if upto is not None else end


def stage_values(stage: Stage, upto: Instruction | None = None) -> dict[str, str]:
    """ARG defaults and ENV values in effect in the stage's chain (before `upto`)."""
    return dict(_state(stage, upto).values)


def _env_pairs(args: str) -> list[tuple[str, str]]:
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]  # legacy `ENV KEY value`
    return [(key, value) for key, _, value in (w.partition("=") for w in words if "=" in w)]


def workdir_at(stage: Stage, upto: Instruction | None = None) -> str:
    """The working directory in effect (relative WORKDIRs build on the previous one)."""
    return _state(stage, upto).workdir


def directories_at(stage: Stage, upto: Instruction | None = None) -> set[str]:
    """Directories known to exist: every WORKDIR and its parents (WORKDIR creates them)."""
    return set(_state(stage, upto).dirs)


@dataclass
class Copy:
    instruction: Instruction
    sources: list[str]
    dest: str  # absolute, resolved against WORKDIR
    dest_is_dir: bool
    from_stage: str | None
    remote: bool  # ADD of a URL or git repository


def copies(stage: Stage) -> list[Copy]:
    """COPY and ADD instructions of the chain, destinations resolved."""
    found = []
    for s in stage.chain:
        for ins in s.instructions:
            if ins.keyword not in ("COPY", "ADD"):
                continue
            words = ins.exec_form if ins.args.strip().startswith("[") else None
            flags = []
            if words is None:
                try:
                    words = shlex.split(ins.args)
                except ValueError:
                    words = ins.args.split()
                flags = [w for w in words if w.startswith("--")]
                words = [w for w in words if not w.startswith("--")]
            if len(words) < 2:
                continue
            values = stage_values(stage, ins)
            words = [substitute(w, values) for w in words]
            *sources, dest = words
            base = workdir_at(stage, ins)
            absolute = posixpath.normpath(posixpath.join(base, dest))
            dest_is_dir = (
                dest.endswith("/")
                or dest in (".", "./")
                or len(sources) > 1
                or absolute in directories_at(stage, ins)
            )
            from_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            remote = ins.keyword == "ADD" and any(re.match(r"^(https?|git)[:@]", src) for src in sources)
            found.append(Copy(ins, sources, absolute, dest_is_dir, from_stage, remote))
    return found


def copied_to(stage: Stage, filename: str) -> list[str]:
    """Where a local build-context file ends up: COPY/ADD of it, of a glob matching it, or of
    the whole context (`COPY . .`)."""
    import fnmatch

    places = []
    for c in copies(stage):
        if c.from_stage or c.remote:
            continue
        for src in c.sources:
            clean = posixpath.normpath(src.lstrip("/")) if src not in ("", "/") else "."
            if clean == ".":
                places.append(posixpath.join(c.dest, filename))
            elif clean == filename or (any(ch in clean for ch in "*?[") and fnmatch.fnmatch(filename, clean)):
                places.append(posixpath.join(c.dest, filename) if c.dest_is_dir else c.dest)
    return places


def build_stage(df: "Dockerfile", name: str | None, copying_in: Stage) -> Stage | None:
    """The build stage `COPY --from=<name>` names (its alias, or its index), or None when
    it names an image instead. A stage cannot copy from itself or a later stage."""
    if not name:
        return None
    position = next(i for i, s in enumerate(df.stages) if s is copying_in)
    if name.isdigit():
        index = int(name)
        return df.stages[index] if index < position else None
    return next((s for s in df.stages[:position] if s.alias and s.alias.lower() == name.lower()), None)


def copied_from_stages(df: "Dockerfile", stage: Stage, path: str) -> list[str]:
    """Where a file an earlier build stage made (`path`, absolute there) ends up in `stage`:
    COPY --from=<stage> of the file itself or of a folder holding it, flags in any order."""
    want = posixpath.normpath(path)
    places = []
    for c in copies(stage):
        holder = next(s for s in df.stages if any(i is c.instruction for i in s.instructions))
        if build_stage(df, c.from_stage, holder) is None:
            continue
        for src in c.sources:
            src = posixpath.normpath("/" + src.lstrip("/"))
            if src == want:
                places.append(posixpath.join(c.dest, posixpath.basename(want)) if c.dest_is_dir else c.dest)
            elif want.startswith(src.rstrip("/") + "/"):  # a folder: its contents go into dest
                places.append(posixpath.join(c.dest, want[len(src.rstrip("/")) + 1 :]))
    return places


def command_line(stage: Stage) -> list[str] | None:
    """What the container runs: ENTRYPOINT's words followed by CMD's, as Docker joins them
    (None when the one that decides is in shell form)."""
    entry, cmd = stage.effective_last("ENTRYPOINT"), stage.effective_last("CMD")
    parts = [ins for ins in (entry, cmd) if ins is not None]
    words = [ins.exec_form for ins in parts]
    if not parts or any(w is None for w in words):
        return None
    return [w for group in words if group for w in group]


_CREATES_USER = re.compile(r"\b(useradd|adduser)\b")


def created_users(stage: Stage) -> set[str]:
    """Users made by RUN useradd/adduser anywhere in the chain (the last plain word)."""
    names = set()
    for ins in stage.effective("RUN"):
        for command in re.split(r"&&|;|\|\|", ins.args):
            if not _CREATES_USER.search(command):
                continue
            try:
                words = shlex.split(command)
            except ValueError:
                words = command.split()
            start = next(i for i, w in enumerate(words) if _CREATES_USER.search(w))
            plain, skip = [], False
            for w in words[start + 1 :]:
                if skip:
                    skip = False
                    continue
                if w.startswith("-"):
                    # options that take a value in useradd/adduser
                    skip = w in ("-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home", "--home-dir",
                                 "-s", "--shell", "-c", "--comment", "-h", "-k", "-K", "-e", "-f",
                                 "--gecos", "--ingroup")  # fmt: skip
                    continue
                plain.append(w)
            if plain:
                # `adduser app app` adds app to a group; the user is the first plain word then
                names.add(plain[0] if len(plain) > 1 and "adduser" in words[start] else plain[-1])
    return names


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
