"""Check parsed YAML against the content format; every problem gets a line number."""

from .errors import Problems
from .frontmatter import split
from .schema import KEY, KINDS, LESSON_KEYS, QUESTION_KEYS, LessonData, QuestionData


def text_field(data: dict, key: str, path: tuple, p: Problems, required=True, label=None) -> str:
    value = data.get(key)
    label = label or key
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            p.at(path, f"'{label}' 항목이 필요합니다.")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        p.at((*path, key), f"'{label}'은(는) 문자열이어야 합니다.")
        return ""
    return str(value).strip()


def unique_id(
    data: dict, key: str, pattern, path: tuple, seen: set, p: Problems, invalid: str, duplicate: str
) -> str:
    """An id that must match `pattern` and be unique among `seen`; messages take {value}."""
    value = str(data.get(key, "")).strip()
    if not pattern.match(value):
        p.at((*path, key) if key in data else path, invalid.format(value=value))
    elif value in seen:
        p.at((*path, key), duplicate.format(value=value))
    seen.add(value)
    return value


def _choices(q: dict, path: tuple, kind: str, p: Problems) -> list[dict]:
    raw = q.get("choices")
    if not isinstance(raw, list) or len(raw) < 2:
        p.at(
            (*path, "choices") if "choices" in q else path,
            "선택형 문항에는 선택지(choices)가 2개 이상 필요합니다.",
        )
        return []
    choices, seen = [], set()
    for j, c in enumerate(raw):
        cpath = (*path, "choices", j)
        if not isinstance(c, dict):
            p.at(cpath, "선택지는 {id, text, correct} 형태여야 합니다.")
            continue
        cid = str(c.get("id", "")).strip()
        if not KEY.match(cid):
            p.at(cpath, f"선택지 id '{cid}'가 올바르지 않습니다 (영문 소문자, 숫자, -만 사용).")
        elif cid in seen:
            p.at(cpath, f"선택지 id '{cid}'가 중복되었습니다.")
        seen.add(cid)
        text = text_field(c, "text", cpath, p, label="text")
        correct = c.get("correct", False)
        if not isinstance(correct, bool):
            p.at((*cpath, "correct"), "correct는 true 또는 false여야 합니다.")
            correct = False
        unknown = set(c) - {"id", "text", "correct"}
        if unknown:
            p.at(cpath, f"선택지에 알 수 없는 항목이 있습니다: {', '.join(sorted(map(str, unknown)))}")
        choices.append({"id": cid, "text": text, "correct": correct})
    n = sum(bool(c["correct"]) for c in choices)
    if kind == "single" and n != 1:
        p.at((*path, "choices"), f"단일 선택(single) 문항은 정답이 정확히 1개여야 합니다 (현재 {n}개).")
    if kind == "multiple" and n < 1:
        p.at((*path, "choices"), "복수 선택(multiple) 문항에는 정답이 1개 이상 있어야 합니다.")
    return choices


def _question(q, i: int, seen: set, p: Problems) -> QuestionData | None:
    path = ("quiz", i)
    if not isinstance(q, dict):
        p.at(path, "퀴즈 문항은 id, type, prompt … 를 가진 매핑이어야 합니다.")
        return None
    key = unique_id(
        q, "id", KEY, path, seen, p,
        invalid="문항 id '{value}'가 올바르지 않습니다 (영문 소문자, 숫자, -만 사용).",
        duplicate="문항 id '{value}'가 이 레슨 안에서 중복되었습니다.",
    )  # fmt: skip
    kind = q.get("type")
    if kind not in KINDS:
        p.at(
            (*path, "type") if "type" in q else path,
            f"문항 유형(type)은 {', '.join(KINDS)} 중 하나여야 합니다.",
        )
    prompt = text_field(q, "prompt", path, p)
    explanation = text_field(q, "explanation", path, p)
    unknown = set(q) - QUESTION_KEYS
    if unknown:
        p.at(path, f"문항에 알 수 없는 항목이 있습니다: {', '.join(sorted(map(str, unknown)))}")
    data = QuestionData(key=key, kind=kind or "", prompt=prompt, explanation=explanation)
    if kind in ("single", "multiple"):
        data.choices = _choices(q, path, kind, p)
    elif kind == "short":
        answers = q.get("answers")
        if (
            not isinstance(answers, list)
            or not answers
            or not all(isinstance(a, str | int | float) for a in answers)
        ):
            p.at(
                (*path, "answers") if "answers" in q else path,
                "단답형(short) 문항에는 정답 목록(answers)이 필요합니다.",
            )
        else:
            data.answers = [str(a).strip() for a in answers if str(a).strip()]
    return data


def validate_lesson(slug: str, source: str) -> tuple[LessonData | None, list[tuple[int, str]]]:
    """Returns (lesson, []) or (None, [(line, message), ...])."""
    parsed = split(source)
    if parsed.error:
        return None, [parsed.error]
    front = parsed.front or {}
    p = Problems(root=front)
    title = text_field(front, "title", (), p)
    summary = text_field(front, "summary", (), p, required=False)
    minutes = front.get("minutes", 10)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
        p.at(("minutes",), "minutes는 1 이상 600 이하의 정수(분)여야 합니다.")
        minutes = 10
    objectives = front.get("objectives", [])
    if not isinstance(objectives, list) or not all(isinstance(o, str) and o.strip() for o in objectives):
        p.at(("objectives",), "objectives는 문자열 목록이어야 합니다.")
        objectives = []
    draft = front.get("draft", False)
    if not isinstance(draft, bool):
        p.at(("draft",), "draft는 true 또는 false여야 합니다.")
        draft = False
    quiz = front.get("quiz", [])
    questions: list = []
    seen: set[str] = set()
    if not isinstance(quiz, list):
        p.at(("quiz",), "quiz는 문항 목록이어야 합니다.")
    else:
        for i, q in enumerate(quiz):
            if (data := _question(q, i, seen, p)) is not None:
                questions.append(data)
    unknown = set(front) - LESSON_KEYS
    for key in sorted(map(str, unknown)):
        p.at((key,), f"알 수 없는 앞머리 항목 '{key}' (사용 가능: {', '.join(sorted(LESSON_KEYS))})")
    if p.errors:
        return None, [(e.line, e.message) for e in sorted(p.errors)]
    lesson = LessonData(
        slug=slug,
        title=title,
        summary=summary,
        minutes=minutes,
        objectives=[o.strip() for o in objectives],
        questions=questions,
        body=parsed.body,
        source=source,
        draft=draft,
    )
    return lesson, []
