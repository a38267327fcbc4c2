"""The one YAML loader for anything a user or an author writes: lessons, course and lab files,
manifests, compose files.

PyYAML's SafeLoader never runs code, but it still builds whatever the document describes:
a "billion laughs" file of nested aliases is a few hundred bytes that expands to gigabytes
once something walks it. We refuse before that can happen: the alias budget is checked
while composing, event by event, so such a document fails within the first few aliases.
Size, nesting depth and document count are bounded the same way. Errors are Korean and
name their line; with `track_lines` every mapping and list remembers where it was written.
"""

import re

import yaml
from yaml._yaml import CParser  # libyaml, which the pinned PyYAML wheels carry

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
    """A list that remembers its own line and each item's."""

    line: int = 0
    item_lines: list


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds values from nodes: refuses what Python cannot hold or JSON cannot carry, and
    with `track_lines` wraps mappings and lists so they remember their lines."""

    track_lines = False
    # Lines are counted from here: front matter is parsed on its own but starts on line 2.
    first_line = 1

    def file_line(self, mark) -> int:
        return mark.line + self.first_line

    def construct_object(self, node, deep=False):
        try:
            value = super().construct_object(node, deep=deep)
        except SafeYamlError:
            raise
        except (ValueError, TypeError, KeyError, OverflowError):
            # A tag applied to a value it cannot read (`!!int 'x'`, `!!bool maybe`).
            tag = node.tag.rpartition(":")[2]
            raise SafeYamlError(
                f"'{shorten(node.value)}'은(는) {tag} 값으로 읽을 수 없습니다. 태그(!!{tag})를 지우거나 값을 고치세요.",
                line=self.file_line(node.start_mark),
            ) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            # "\ud800" written as an escape: no UTF-8 can carry it, so nothing could store or show it.
            raise SafeYamlError(
                "짝이 맞지 않는 유니코드 서로게이트(\\ud800~\\udfff)는 쓸 수 없습니다. 그 글자를 직접 적으세요.",
                line=self.file_line(node.start_mark),
            )
        return value

    def construct_mapping(self, node, deep=False):
        self._refuse_duplicate_keys(node)
        mapping = super().construct_mapping(node, deep=deep)
        if not self.track_lines:
            return mapping
        result = LineDict(mapping)
        result.line = self.file_line(node.start_mark)
        result.key_lines = {}
        for key_node, _ in node.value:
            try:
                result.key_lines[self.construct_object(key_node)] = self.file_line(key_node.start_mark)
            except Exception:  # unhashable keys are rejected by construct_mapping already
                pass
        return result

    def construct_sequence(self, node, deep=False):
        seq = super().construct_sequence(node, deep=deep)
        if not self.track_lines:
            return seq
        result = LineList(seq)
        result.line = self.file_line(node.start_mark)
        result.item_lines = [self.file_line(item.start_mark) for item in node.value]
        return result

    def _refuse_duplicate_keys(self, node) -> None:
        """A key written twice: YAML says it is an error, PyYAML silently keeps the last one,
        and the author never learns which of their two lines was applied."""
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                continue  # "<<" merges may be overridden; complex keys are refused elsewhere
            key = (key_node.tag, key_node.value)
            line = self.file_line(key_node.start_mark)
            if key in seen:
                raise SafeYamlError(
                    f"키 '{shorten(key_node.value)}'가 같은 매핑에 두 번 나옵니다 ({seen[key]}번째 줄과 이 줄). "
                    "하나만 남기세요.",
                    line=line,
                )
            seen[key] = line


class _Resolver(yaml.resolver.Resolver):
    pass


# Dates stay strings (as kubectl reads them): a datetime object cannot go into JSON.
_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


class _LimitedLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Constructor,
    _Resolver,
):
    """PyYAML's pure-Python loader, with the alias and depth budgets kept node by node. It
    reads what libyaml did not (and says why in the words `_PROBLEMS` translates)."""

    max_depth = MAX_DEPTH
    max_aliases = MAX_ALIASES

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                mark = self.peek_event().start_mark
                raise SafeYamlError(_alias_refusal(self.max_aliases), line=self.file_line(mark))
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise SafeYamlError(_too_deep(self.max_depth), line=self.file_line(mark))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _FastLoader(CParser, _Constructor, _Resolver):
    """libyaml's parser and composer (about nine times faster) with the same constructor,
    for text whose events were already walked within the budgets (`_within_budget`)."""

    def __init__(self, stream):
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def _alias_refusal(max_aliases: int) -> str:
    if not max_aliases:
        return "YAML 문법 오류: 별칭(*이름)은 쓸 수 없습니다. 값을 직접 적어 주세요."
    return (
        f"별칭(*)이 너무 많습니다 (최대 {max_aliases}개). "
        "별칭을 반복해 크기를 부풀리는 문서는 받을 수 없습니다."
    )


def _too_deep(max_depth: int) -> str:
    return f"중첩이 너무 깊습니다 (최대 {max_depth}단계)."


_SURROGATE = re.compile("[\ud800-\udfff]")
_MERGE = "tag:yaml.org,2002:merge"


def shorten(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


# Mappings and sequences must be built deeply so that our LineDict/LineList wrap everything.
def _construct_map(loader, node):
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader, node):
    return loader.construct_sequence(node, deep=True)


_Constructor.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Constructor.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _unsupported_tag(loader, node):
    raise SafeYamlError(
        f"지원하지 않는 YAML 태그 '{node.tag}'입니다.", line=loader.file_line(node.start_mark)
    )


for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported_tag)
_Constructor.add_constructor(None, _unsupported_tag)


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
    first_line=1,
):
    """Every non-empty document as (value, line where it starts, its number), within the limits.

    libyaml's C parser first walks the events (about twenty times faster than the Python
    loader) and refuses a text over its budgets before any node is built: `max_nodes`
    bounds the parse work, aliases and depth are counted. A text it reads whole is then
    composed by libyaml too; one it cannot read goes to the Python loader, whose errors
    `_PROBLEMS` translates. `max_aliases=0` refuses aliases outright. `first_line` is the
    file line the text starts on, for text cut out of a larger file (front matter), so
    every line reported is the file's."""
    text = _as_text(data, max_bytes)
    offset = first_line - 1
    fast = _within_budget(text, max_nodes, max_aliases, max_depth, offset)
    try:
        loader = (
            _FastLoader(text) if fast else _LimitedLoader(text)
        )  # the Python reader checks characters here
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text, 1, offset) from None
    loader.max_depth, loader.max_aliases, loader.track_lines = max_depth, max_aliases, track_lines
    loader.first_line = first_line
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
                docs.append((value, loader.file_line(node.start_mark), index))
    except yaml.MarkedYAMLError as exc:
        line, detail = _syntax_error(exc, offset)
        raise SafeYamlError(f"YAML 문법 오류: {detail}", doc=max(index, 1), line=line) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text, max(index, 1), offset) from None
    except yaml.YAMLError as exc:
        raise SafeYamlError(f"YAML을 읽을 수 없습니다: {exc}", doc=max(index, 1)) from None
    except RecursionError:
        raise SafeYamlError("중첩이 너무 깊습니다.", doc=max(index, 1)) from None
    finally:
        loader.dispose()
    return docs


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _within_budget(text: str, max_nodes: int | None, max_aliases: int, max_depth: int, offset: int) -> bool:
    """True when libyaml read the whole text within the budgets (raises SafeYamlError with
    the line where one ran out); False when it could not read the text."""
    nodes = aliases = depth = doc = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.DocumentStartEvent):
                doc += 1
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            elif isinstance(event, _NODE_EVENTS):
                line = event.start_mark.line + 1 + offset if event.start_mark else None
                nodes += 1
                if max_nodes is not None and nodes > max_nodes:
                    raise SafeYamlError(
                        f"YAML이 너무 복잡합니다 (값이 {max_nodes:,}개를 넘습니다). 여러 파일이나 여러 번으로 나누세요.",
                        line=line,
                    )
                if isinstance(event, yaml.AliasEvent):
                    aliases += 1
                    if aliases > max_aliases:
                        raise SafeYamlError(_alias_refusal(max_aliases), doc=doc, line=line)
                # Every node counts one level, as the Python loader counts them.
                if depth + 1 > max_depth:
                    raise SafeYamlError(_too_deep(max_depth), doc=doc, line=line)
                if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                    depth += 1
    except yaml.YAMLError:
        return False  # the Python loader reports it, in Korean and with its line
    return True


def _syntax_error(exc: yaml.MarkedYAMLError, offset: int) -> tuple[int | None, str]:
    """(line, Korean detail). An unclosed bracket or quote, or a key without its colon, is
    only noticed lines later (often at the end of the text): the line given is where it
    was opened, which is where the author has to look, and the detail says where it was
    noticed. Inside a block the opening is the whole enclosing mapping, so there the line
    is where the parser stopped."""
    problem, context = exc.problem_mark, exc.context_mark
    opened = context is not None and (exc.context or "").startswith(
        ("while scanning", "while parsing a flow")
    )
    mark = context if opened else (problem or context)
    detail = _problem_ko(exc)
    if opened and problem is not None and context is not None and problem.line != context.line:
        detail += f" ({problem.line + 1 + offset}번째 줄에서 발견)"
    return (mark.line + 1 + offset if mark else None), detail


def _unreadable_character(exc, text: str, doc: int, offset: int) -> SafeYamlError:
    """Characters YAML does not allow in a document (U+0080, U+FFFE, ...), with their line."""
    line = text.count("\n", 0, exc.position) + 1 + offset if isinstance(exc.position, int) else None
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
    "expected ',' or ']'": "목록을 닫는 ']'가 없습니다",
    "expected <block end>": "들여쓰기가 맞지 않습니다 (같은 단계의 항목은 같은 칸에서 시작해야 합니다)",
    "expected ',' or '}'": "매핑을 닫는 '}'가 없습니다",
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


def line_of(holder, key=None, default=1) -> int:
    """The line of holder[key] (or of holder itself) when the loader tracked lines."""
    if isinstance(holder, LineDict):
        return holder.key_lines.get(key, holder.line) if key is not None else holder.line
    return getattr(holder, "line", default) or default


_NONE = object()


def line_at(root, *path, default=1) -> int:
    """The line of root[path[0]][path[1]]... (keys and list indexes), or of the nearest
    ancestor the text has: a missing key is reported where its parent is."""
    line, holder = line_of(root, default=default), root
    for key in path:
        if isinstance(holder, LineDict):
            # Paths built from what the author wrote may spell a key as text ("1" for 1).
            found = (
                key
                if key in holder.key_lines
                else next((k for k in holder.key_lines if str(k) == str(key)), None)
            )
            if found is None:
                break
            line, holder = holder.key_lines[found], holder.get(found)
        elif isinstance(holder, LineList) and isinstance(key, int) and 0 <= key < len(holder):
            line, holder = holder.item_lines[key], holder[key]
        else:
            break
    return line


def plain(value):
    """LineDict/LineList → plain JSON types (for storing in a JSON column)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
