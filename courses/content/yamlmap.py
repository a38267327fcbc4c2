"""YAML that remembers where each key was, so errors can name the line."""

import yaml

Path_ = tuple


class LineMap:
    """Maps a key path like ("quiz", 0, "choices") to its 1-based line in the file."""

    def __init__(self, offset: int = 0):
        self.lines: dict[Path_, int] = {}
        self.offset = offset

    def line(self, *path) -> int:
        # The nearest known ancestor: a missing key is reported at its parent.
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1 + self.offset


def _walk(node, path, lines: LineMap):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines.lines[(*path, key)] = key_node.start_mark.line + 1 + lines.offset
            _walk(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.lines[(*path, i)] = item.start_mark.line + 1 + lines.offset
            _walk(item, (*path, i), lines)


class _NoAliasLoader(yaml.SafeLoader):
    """Aliases (*name) are refused: nested ones expand exponentially ("billion laughs"),
    which would hang a preview or a sync. Content files never need them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "별칭(*이름)은 쓸 수 없습니다. 값을 직접 적어 주세요.",
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message
        super().__init__(message)


def load(text: str, offset: int = 0):
    """Parse YAML safely; returns (data, LineMap). Errors carry the file line."""
    # One parse gives both the node tree (for line numbers) and the data.
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed [ or a key
        # without its colon), which is where the author has to look.
        mark = exc.context_mark or exc.problem_mark
        line = (mark.line + 1 if mark else 1) + offset
        detail = exc.problem or exc.context or ""
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            detail += f" ({exc.problem_mark.line + 1 + offset}행에서 발견)"
        return None, None, YamlError(line, f"YAML 문법 오류: {detail}")
    except yaml.YAMLError as exc:
        return None, None, YamlError(1 + offset, f"YAML 문법 오류: {exc}")
    finally:
        loader.dispose()
    lines = LineMap(offset)
    if node is not None:
        _walk(node, (), lines)
    return data, lines, None
