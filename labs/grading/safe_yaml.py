"""The one YAML loader for anything a user or an author writes (manifests, compose files, labs).

PyYAML's SafeLoader never runs code, but it still builds whatever the document describes:
a "billion laughs" file of nested aliases is a few hundred bytes that expands to gigabytes
once something walks it. We refuse before that can happen: the alias budget is checked
while composing, event by event, so such a document fails within the first few aliases.
Size, nesting depth and document count are bounded the same way.
"""

import re

import yaml

MAX_BYTES = 1_000_000
MAX_DOCS = 50
MAX_DEPTH = 40
MAX_ALIASES = 20


class SafeYamlError(ValueError):
    """A Korean message naming the document (1-based) and line (1-based) when known."""

    def __init__(self, message: str, doc: int | None = None, line: int | None = None):
        self.doc, self.line, self.reason = doc, line, message
        where = []
        if doc is not None:
            where.append(f"문서 {doc}")
        if line is not None:
            where.append(f"{line}번째 줄")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class LineDict(dict):
    """A mapping that remembers the line of each key (for "path:line: message" reports)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    line: int = 0


class _LimitedLoader(yaml.SafeLoader):
    max_depth = MAX_DEPTH
    max_aliases = MAX_ALIASES
    track_lines = False

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                mark = self.peek_event().start_mark
                raise SafeYamlError(
                    f"별칭(*)이 너무 많습니다 (최대 {self.max_aliases}개). "
                    "별칭을 반복해 크기를 부풀리는 문서는 받을 수 없습니다.",
                    line=mark.line + 1,
                )
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise SafeYamlError(f"중첩이 너무 깊습니다 (최대 {self.max_depth}단계).", line=mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            value = super().construct_object(node, deep=deep)
        except SafeYamlError:
            raise
        except (ValueError, TypeError, KeyError, OverflowError):
            # A tag applied to a value it cannot read (`!!int 'x'`, `!!bool maybe`).
            tag = node.tag.rpartition(":")[2]
            raise SafeYamlError(
                f"'{_short(node.value)}'은(는) {tag} 값으로 읽을 수 없습니다. 태그(!!{tag})를 지우거나 값을 고치세요.",
                line=node.start_mark.line + 1,
            ) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            # "\ud800" written as an escape: no UTF-8 can carry it, so nothing could store or show it.
            raise SafeYamlError(
                "짝이 맞지 않는 유니코드 서로게이트(\\ud800~\\udfff)는 쓸 수 없습니다. 그 글자를 직접 적으세요.",
                line=node.start_mark.line + 1,
            )
        return value

    def construct_mapping(self, node, deep=False):
        _refuse_duplicate_keys(node)
        mapping = super().construct_mapping(node, deep=deep)
        if not self.track_lines:
            return mapping
        result = LineDict(mapping)
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, _ in node.value:
            try:
                result.key_lines[self.construct_object(key_node)] = key_node.start_mark.line + 1
            except Exception:  # unhashable keys are rejected by construct_mapping already
                pass
        return result

    def construct_sequence(self, node, deep=False):
        seq = super().construct_sequence(node, deep=deep)
        if not self.track_lines:
            return seq
        result = LineList(seq)
        result.line = node.start_mark.line + 1
        return result


_SURROGATE = re.compile("[\ud800-\udfff]")
_MERGE = "tag:yaml.org,2002:merge"


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _refuse_duplicate_keys(node) -> None:
    """A key written twice: YAML says it is an error, PyYAML silently keeps the last one,
    and the student never learns which of their two lines was applied."""
    seen: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
            continue  # "<<" merges may be overridden; complex keys are refused elsewhere
        key = (key_node.tag, key_node.value)
        if key in seen:
            raise SafeYamlError(
                f"키 '{_short(key_node.value)}'가 같은 매핑에 두 번 나옵니다 ({seen[key]}번째 줄과 이 줄). "
                "하나만 남기세요.",
                line=key_node.start_mark.line + 1,
            )
        seen[key] = key_node.start_mark.line + 1


# Mappings and sequences must be built deeply so that our LineDict/LineList wrap everything.
def _construct_map(loader, node):
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader, node):
    return loader.construct_sequence(node, deep=True)


_LimitedLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LimitedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)

# Dates stay strings (as kubectl reads them): a datetime object cannot go into JSON.
_LimitedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _unsupported_tag(loader, node):
    raise SafeYamlError(f"지원하지 않는 YAML 태그 '{node.tag}'입니다.", line=node.start_mark.line + 1)


for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _LimitedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported_tag)
_LimitedLoader.add_constructor(None, _unsupported_tag)


def _as_text(data, max_bytes: int) -> str:
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise SafeYamlError(_too_big(len(data), max_bytes))
        if b"\x00" in data:
            raise SafeYamlError("바이너리 파일은 받을 수 없습니다. YAML 텍스트를 보내 주세요.")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SafeYamlError("UTF-8 텍스트가 아닙니다. YAML은 UTF-8로 저장해 주세요.") from exc
    if not isinstance(data, str):
        raise SafeYamlError("YAML 텍스트가 필요합니다.")
    size = len(data.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise SafeYamlError(_too_big(size, max_bytes))
    if "\x00" in data:
        raise SafeYamlError("바이너리 파일은 받을 수 없습니다. YAML 텍스트를 보내 주세요.")
    # Control characters other than tab/newline mean this is not a text file someone typed.
    if any(ord(c) < 32 and c not in "\t\r\n" for c in data[:65536]):
        raise SafeYamlError("제어 문자가 들어 있어 텍스트 YAML로 읽을 수 없습니다.")
    return data


def _too_big(size: int, max_bytes: int) -> str:
    return f"파일이 너무 큽니다 ({size:,}바이트). 최대 {max_bytes:,}바이트까지 받을 수 있습니다."


def load_documents(
    data,
    *,
    max_bytes=MAX_BYTES,
    max_docs=MAX_DOCS,
    max_depth=MAX_DEPTH,
    max_aliases=MAX_ALIASES,
    track_lines=False,
    max_nodes=None,
):
    """Every non-empty document as (value, first line), within the limits.

    `max_nodes` bounds the parse work (the pure-Python loader costs ~3 s of CPU per MB of
    small keys): the nodes are first counted by libyaml's C parser, which is ~20x faster,
    and a text with more is refused before the Python loader starts."""
    text = _as_text(data, max_bytes)
    if max_nodes is not None:
        _refuse_too_many_nodes(text, max_nodes)
    try:
        loader = _LimitedLoader(text)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text, 1) from None
    loader.max_depth, loader.max_aliases, loader.track_lines = max_depth, max_aliases, track_lines
    docs = []
    index = 0
    try:
        while loader.check_node():
            index += 1
            if index > max_docs:
                raise SafeYamlError(f"문서가 너무 많습니다 (최대 {max_docs}개).", doc=index)
            try:
                node = loader.get_node()
                if node is None:
                    continue
                value = loader.construct_document(node)
            except SafeYamlError as exc:
                raise SafeYamlError(exc.reason, doc=index, line=exc.line) from None
            if value is not None:
                docs.append((value, node.start_mark.line + 1, index))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SafeYamlError(
            f"YAML 문법 오류: {_problem_ko(exc)}",
            doc=max(index, 1),
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text, max(index, 1)) from None
    except yaml.YAMLError as exc:
        raise SafeYamlError(f"YAML을 읽을 수 없습니다: {exc}", doc=max(index, 1)) from None
    except RecursionError:
        raise SafeYamlError("중첩이 너무 깊습니다.", doc=max(index, 1)) from None
    finally:
        loader.dispose()
    return docs


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _refuse_too_many_nodes(text: str, max_nodes: int) -> None:
    if not getattr(yaml, "__with_libyaml__", False):
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > max_nodes:
                    raise SafeYamlError(
                        f"YAML이 너무 복잡합니다 (값이 {max_nodes:,}개를 넘습니다). 매니페스트를 나눠서 적용하세요.",
                        line=event.start_mark.line + 1 if event.start_mark else None,
                    )
    except yaml.YAMLError:
        return  # the Python loader below reports it, in Korean and with its line


def _unreadable_character(exc, text: str, doc: int) -> SafeYamlError:
    """Characters YAML does not allow in a document (U+0080, U+FFFE, ...), with their line."""
    line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
    if isinstance(exc.character, int):
        return SafeYamlError(
            f"YAML에 쓸 수 없는 문자(U+{exc.character:04X})가 들어 있습니다. 그 글자를 지우세요.",
            doc=doc,
            line=line,
        )
    return SafeYamlError("YAML에 쓸 수 없는 문자가 들어 있습니다.", doc=doc, line=line)


_PROBLEMS = {
    "mapping values are not allowed here": "이 위치에는 '키: 값'을 쓸 수 없습니다 (들여쓰기나 콜론을 확인하세요)",
    "could not find expected ':'": "':'가 있어야 할 곳에 없습니다",
    "found character '\\t' that cannot start any token": "탭 문자는 들여쓰기에 쓸 수 없습니다 (공백을 쓰세요)",
    "found undefined alias": "정의되지 않은 별칭(*)을 사용했습니다",
    "did not find expected key": "키가 있어야 할 곳에 다른 내용이 있습니다 (들여쓰기를 확인하세요)",
    "did not find expected '-' indicator": "목록 항목('-')의 들여쓰기가 맞지 않습니다",
    "found duplicate anchor": "같은 이름의 앵커(&)가 두 번 정의되었습니다",
    "found unhashable key": "이 키는 사용할 수 없습니다",
    "found unexpected end of stream": "문서가 도중에 끝났습니다 (따옴표나 괄호가 닫혔는지 확인하세요)",
}


def _problem_ko(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, korean in _PROBLEMS.items():
        if problem.startswith(english):
            return korean
    return problem or "알 수 없는 문법 오류"


def load_one(data, **limits):
    """A single YAML document (compose files, lab files); empty input gives None."""
    docs = load_documents(data, max_docs=1, **limits)
    return docs[0][0] if docs else None


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


def line_of(holder, key=None, default=1) -> int:
    """The line of holder[key] (or of holder itself) when the loader tracked lines."""
    if isinstance(holder, LineDict):
        return holder.key_lines.get(key, holder.line) if key is not None else holder.line
    return getattr(holder, "line", default) or default


def plain(value):
    """LineDict/LineList → plain JSON types (for storing in a JSON column)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


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
            f"apiVersion '{_short(doc['apiVersion'])}'은(는) 형식이 맞지 않습니다. "
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
