"""Content YAML: course files and lesson front matter (split from the Markdown body)."""

from dataclasses import dataclass

from kubaeum.safe_yaml import SafeYamlError, load_one

# Values in one content file: a long quiz has a few hundred. A preview is parsed on a web
# request, so the parse work is bounded before the pure-Python loader starts.
MAX_NODES = 20_000


def load_yaml(text: str, first_line: int = 1):
    """A content file's YAML with the line of every key and item (LineDict/LineList).
    Aliases are refused: content never needs them. Raises SafeYamlError."""
    return load_one(text, track_lines=True, max_aliases=0, max_nodes=MAX_NODES, first_line=first_line)


@dataclass
class ParsedFile:
    front: dict | None
    body: str
    error: tuple[int, str] | None = None


def split(text: str) -> ParsedFile:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return ParsedFile(None, text, (1, "파일이 앞머리(---로 시작하는 YAML)로 시작하지 않습니다."))
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r") == "---":
            yaml_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            break
    else:
        return ParsedFile(None, text, (1, "앞머리를 닫는 --- 줄이 없습니다."))
    try:
        data = load_yaml(yaml_text, first_line=2)  # front matter starts on line 2 of the file
    except SafeYamlError as exc:
        return ParsedFile(None, body, (exc.line or 2, exc.reason))
    if not isinstance(data, dict):
        return ParsedFile(None, body, (2, "앞머리는 '키: 값' 형태의 YAML 매핑이어야 합니다."))
    return ParsedFile(data, body)
