"""Split a lesson file into YAML front matter and Markdown body."""

from dataclasses import dataclass

from . import yamlmap


@dataclass
class ParsedFile:
    front: dict | None
    lines: yamlmap.LineMap | None
    body: str
    error: tuple[int, str] | None = None


def split(text: str) -> ParsedFile:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return ParsedFile(None, None, text, (1, "파일이 앞머리(---로 시작하는 YAML)로 시작하지 않습니다."))
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r") == "---":
            yaml_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            break
    else:
        return ParsedFile(None, None, text, (1, "앞머리를 닫는 --- 줄이 없습니다."))
    # Front matter starts on line 2 of the file.
    data, line_map, err = yamlmap.load(yaml_text, offset=1)
    if err:
        return ParsedFile(None, None, body, (err.line, err.message))
    if not isinstance(data, dict):
        return ParsedFile(None, None, body, (2, "앞머리는 '키: 값' 형태의 YAML 매핑이어야 합니다."))
    return ParsedFile(data, line_map, body)
