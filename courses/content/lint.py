"""Style rules a machine can check in the Korean course text (content/STYLE.md explains
each one). Every finding is a ContentError, printed as `path:line: 메시지` like the sync
errors, so an author fixes a lint finding the same way as a YAML mistake.

Prose is scanned line by line: fenced code blocks, `code spans`, URLs and quoted speech
are skipped, because commands, identifiers and what someone said are not our prose.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kubaeum.safe_yaml import SafeYamlError, line_at

from ..rendering.markdown import _inline_markdown
from .errors import ContentError, display_path
from .frontmatter import load_yaml, split
from .loader import read_text

GLOSSARY_FILE = "glossary.yaml"

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
URL = re.compile(r"(?:https?://|www\.)\S+|\]\([^)]*\)")
# Speech and quoted titles may use any register: "제 PC에서는 잘 돌아갔는데요".
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^'\s][^']*'|‘[^’]*’|「[^」]*」")

# 해요체 statements. -세요 (the polite request) and questions (-나요? -가요? -ㄹ까요?)
# are normal in 합니다체 textbooks; a statement that ends in 요 is not.
HAEYO = re.compile(r"[가-힣](?<![세필중개수주소강동])요(?=[.!…]|\s*$)|[가-힣]죠(?=[.!?…]|\s*$)")
ANSWERS = re.compile(r"^\s*answers:")
# A YAML value in quotes: the quotes are syntax, not quoted speech.
YAML_QUOTED = re.compile(r"""^(\s*(?:- )?[\w-]+:\s*)(["'])(.*)\2\s*$""")

# A bold made "to render" by a space before the particle: **공유** 하므로.
SPACED_PARTICLE = re.compile(
    r"\*\*\s+(은|는|을|를|이|가|으로|로|에서|에게|에|의|와|과|이나|나|도|만|입니다|이다|하므로|하는|하고|하면|합니다)"
    r"(?=[\s.,!?)]|$)"
)

POSITION = re.compile(
    r"(첫|두|세|네|다섯|여섯|마지막)\s*(번째|째)\s*(보기|선택지|항목|답)"
    r"|(앞|뒤|위|아래)의\s*(한|두|세|네|다섯|\d)\s*(가지|개)"
    r"|보기\s*\(?[a-fA-F1-6]\)?(?![\w-])"
    r"|\(?[a-f]\)?\s*(번|보기|선택지)(?![가-힣])"
    r"|[①②③④⑤⑥]"
)
GIVEAWAY = re.compile(
    r"(\d+|한|두|세|네|다섯|여섯|일곱|여덟)\s*글자|글자\s*수"
    r"|중\s*하나를\s*(적|쓰|고르)"
    r"|○{2,}|□{2,}|_{3,}"
)


@dataclass(frozen=True)
class Term:
    use: str
    avoid: tuple[str, ...]
    note: str = ""


def load_glossary(content_dir: Path) -> tuple[list[Term], list[ContentError]]:
    path = Path(content_dir) / GLOSSARY_FILE
    shown = display_path(path)
    if not path.is_file():
        return [], [ContentError(shown, 1, "용어집 파일이 없습니다.")]
    try:
        data = load_yaml(read_text(path))
    except SafeYamlError as exc:
        return [], [ContentError(shown, exc.line or 1, exc.reason)]
    terms, errors = [], []
    raw = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return [], [ContentError(shown, 1, "용어집에는 terms 목록이 필요합니다.")]
    for i, entry in enumerate(raw):
        use = entry.get("use") if isinstance(entry, dict) else None
        avoid = entry.get("avoid") if isinstance(entry, dict) else None
        if (
            not isinstance(use, str)
            or not isinstance(avoid, list)
            or not all(isinstance(a, str) for a in avoid)
        ):
            errors.append(
                ContentError(
                    shown, line_at(data, "terms", i), "용어는 use(문자열)와 avoid(목록)가 필요합니다."
                )
            )
            continue
        terms.append(Term(use, tuple(avoid), str(entry.get("note", ""))))
    return terms, errors


def prose(line: str) -> str:
    """The line with code spans, URLs and quoted speech blanked (same length, so columns stay)."""
    for pattern in (CODE_SPAN, URL, QUOTED):
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    return line


def _punct(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "PS"


def _space(ch: str) -> bool:
    return not ch or ch.isspace()


def _unrendered_bold(line: str) -> str | None:
    """CommonMark's flanking rules for `**`: the closing run must not sit between
    punctuation and a letter (`**파드(Pod)**는`), the opening run not between a letter
    and punctuation. Python-Markdown is more lenient, but GitHub, editors' previews and
    any future renderer follow CommonMark, so we write bold that both render."""
    runs = [m for m in re.finditer(r"\*{2,}", line)]
    opened = None
    for m in runs:
        before = line[m.start() - 1] if m.start() else ""
        after = line[m.end()] if m.end() < len(line) else ""
        left = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
        right = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
        if opened is None:
            if left:
                opened = m
            elif right:
                return "닫는 ** 앞에 여는 **가 없습니다"
            else:
                return "** 앞뒤가 모두 공백이라 굵게 표시되지 않습니다"
        elif right:
            opened = None
        elif left:
            return (
                "닫는 **가 문장 부호 바로 뒤, 글자 바로 앞에 있어 굵게 표시되지 않습니다"
                " (**파드(Pod)**는 → **파드**(Pod)는)"
            )
        else:
            return "** 앞뒤가 모두 공백이라 굵게 표시되지 않습니다"
    if opened is not None:
        return "여는 **를 닫는 **가 같은 줄에 없습니다"
    return None


BLOCK_MARKS = re.compile(r"^\s*(?:[#>]+\s+|[-+]\s+|\*\s+|\d+\.\s+|\|\s*)*")


_md = None


def _renders(line: str) -> bool:
    """Whether our renderer (the one quiz text uses) turns every ** into bold. One parser
    is reused: building a Markdown instance per line made the whole check take seconds."""
    global _md
    _md = _md or _inline_markdown()
    # Only the inline part: an indented line alone would render as a code block.
    html = _md.reset().convert(BLOCK_MARKS.sub("", line))
    return "**" not in re.sub(r"<code>.*?</code>", "", html)


class Linter:
    def __init__(self, terms: list[Term]):
        self.terms = terms

    def text_lines(self, lines: list[str], start: int = 1):
        """(line number, prose) for every line outside fenced code."""
        fenced = None
        for n, line in enumerate(lines, start):
            m = FENCE.match(line)
            if m:
                fenced = None if fenced == m.group(1) else (fenced or m.group(1))
                continue
            if fenced:
                continue
            yield n, line

    def check_line(self, raw: str) -> list[str]:
        found = []
        raw = YAML_QUOTED.sub(lambda m: f"{m.group(1)} {m.group(3)} ", raw)
        text = prose(raw)
        # A short answer list names the variants a learner may type; it is not prose.
        terms = [] if ANSWERS.match(raw) else self.terms
        for term in terms:
            for wrong in term.avoid:
                if wrong in text:
                    note = f" ({term.note})" if term.note else ""
                    found.append(f"용어: '{wrong}' → '{term.use}'{note}")
        if "하나의" in text:
            found.append("번역투: '하나의 X' 대신 'X 하나', '한 X'처럼 씁니다.")
        m = HAEYO.search(text)
        if m:
            found.append(f"문체: 해요체 어미('{m.group(0)}')입니다. 합니다체로 씁니다.")
        # A code span is a word for the flanking rules, but its backticks are punctuation.
        bold_text = CODE_SPAN.sub(
            lambda m: m.group(1) + "x" * (len(m.group(0)) - 2 * len(m.group(1))) + m.group(1), raw
        )
        if "**" in bold_text:
            problem = _unrendered_bold(bold_text)
            if problem is None and not _renders(raw):
                problem = "이 줄의 **가 굵게 표시되지 않습니다"
            if problem:
                found.append(f"굵게: {problem}.")
            m = SPACED_PARTICLE.search(bold_text)
            if m:
                found.append(f"띄어쓰기: 굵은 글씨 뒤 '{m.group(1)}' 앞의 공백을 지웁니다 (**공유**하므로).")
        return found

    def lint_lines(self, shown: str, lines: list[str], start: int = 1) -> list[ContentError]:
        errors: list[ContentError] = []
        for n, line in self.text_lines(lines, start):
            errors.extend(ContentError(shown, n, msg) for msg in self.check_line(line))
        return errors

    def lint_quiz(self, shown: str, front: dict, line_of) -> list[ContentError]:
        errors = []
        quiz = front.get("quiz") if isinstance(front, dict) else None
        for i, q in enumerate(quiz if isinstance(quiz, list) else []):
            if not isinstance(q, dict):
                continue
            explanation = str(q.get("explanation", ""))
            m = POSITION.search(prose(explanation))
            if m:
                errors.append(
                    ContentError(
                        shown,
                        line_of("quiz", i, "explanation"),
                        f"퀴즈: 해설이 보기의 위치('{m.group(0)}')를 가리킵니다. 보기는 학생마다 순서가 "
                        "섞이므로 내용으로 가리킵니다.",
                    )
                )
            if q.get("type") == "short":
                m = GIVEAWAY.search(prose(str(q.get("prompt", ""))))
                if m:
                    errors.append(
                        ContentError(
                            shown,
                            line_of("quiz", i, "prompt"),
                            f"퀴즈: 질문이 답의 글자 수나 후보('{m.group(0)}')를 알려 줍니다. 빈칸은 (   )로 씁니다.",
                        )
                    )
            choices = q.get("choices")
            if isinstance(choices, list) and len(choices) >= 2:
                texts = [str(c.get("text", "")) for c in choices if isinstance(c, dict)]
                for j, t in enumerate(texts):
                    if re.search(r"(위|앞|아래)의\s*(보기|것)\s*(모두|전부)|모두\s*(맞|틀)", t):
                        errors.append(
                            ContentError(
                                shown,
                                line_of("quiz", i, "choices", j),
                                "퀴즈: '위의 보기 모두' 같은 보기는 순서를 섞으면 뜻이 바뀝니다.",
                            )
                        )
        return errors

    def lint_lesson(self, path: Path) -> list[ContentError]:
        shown = display_path(path)
        source = read_text(path)
        lines = source.split("\n")
        parsed = split(source)
        errors = self.lint_lines(shown, lines)
        if parsed.front is not None:
            front = parsed.front
            errors.extend(self.lint_quiz(shown, front, lambda *keys: line_at(front, *keys)))
        return errors

    def lint_yaml(self, path: Path) -> list[ContentError]:
        """course.yaml and lab.yaml: every line is checked (keys and ids are ASCII, so only
        the Korean values can match a rule)."""
        return self.lint_lines(display_path(path), read_text(path).split("\n"))


def lint_content(content_dir: Path, labs: bool = True) -> list[ContentError]:
    """Every finding in content_dir's lessons, course files and (optionally) lab files."""
    content_dir = Path(content_dir)
    terms, errors = load_glossary(content_dir)
    linter = Linter(terms)
    for course in sorted((content_dir / "courses").glob("*/course.yaml")):
        errors.extend(linter.lint_yaml(course))
        for lesson in sorted(course.parent.glob("*/*.md")):
            errors.extend(linter.lint_lesson(lesson))
    if labs:
        for lab in sorted((content_dir / "labs").glob("*/lab.yaml")):
            errors.extend(linter.lint_yaml(lab))
    return errors
