"""content_lint: the machine-checkable rules of content/STYLE.md, reported as path:line."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.content.lint import Linter, Term, lint_content
from courses.rendering import render_inline

from .conftest import lesson_text

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "content" / "glossary.yaml"


@pytest.fixture
def lint_dir(content_dir):
    shutil.copy(GLOSSARY, content_dir / "glossary.yaml")
    return content_dir


def write_lesson(content_dir: Path, body: str = "## 소개\n\n본문입니다.\n", extra: str = "") -> Path:
    path = content_dir / "courses" / "test-course" / "basics" / "first-lesson.md"
    path.write_text(lesson_text("첫 레슨", body=body, extra=extra), encoding="utf-8")
    return path


def findings(content_dir: Path) -> list[str]:
    return [str(e) for e in lint_content(content_dir)]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


def test_clean_content_has_no_findings(lint_dir):
    assert findings(lint_dir) == []


def test_a_glossary_variant_is_reported_with_file_line_and_the_preferred_term(lint_dir):
    path = write_lesson(lint_dir, "## 소개\n\n외부 트래픽은 로드밸런서가 받습니다.\n")
    [found] = findings(lint_dir)
    assert f"courses/test-course/basics/first-lesson.md:{line_of(path, '로드밸런서')}: 용어:" in found
    assert "'로드밸런서' → '로드 밸런서'" in found


def test_code_spans_code_blocks_and_urls_are_not_prose(lint_dir):
    write_lesson(
        lint_dir,
        "## 소개\n\n`로드밸런서` 글자는 코드입니다. https://example.com/로드밸런서 도 주소입니다.\n\n"
        "```text\n하나의 로드밸런서가 있어요.\n```\n",
    )
    assert findings(lint_dir) == []


def test_a_haeyo_statement_is_reported_but_requests_and_questions_are_not(lint_dir):
    path = write_lesson(
        lint_dir,
        "## 소개\n\n환경 변수가 빠져 있었군요.\n\n직접 확인해 보세요.\n\n왜 그럴까요?\n\n"
        '"제 PC에서는 잘 돌아갔는데요."라는 말이 있습니다.\n\n이 설정이 중요.\n',
    )
    [found] = findings(lint_dir)
    assert f":{line_of(path, '빠져 있었군요')}: 문체: 해요체 어미('군요')" in found


def test_hana_ui_is_reported_as_translationese(lint_dir):
    write_lesson(lint_dir, "## 소개\n\n하나의 파드에 컨테이너를 넣습니다.\n")
    assert any("번역투" in f for f in findings(lint_dir))


def test_our_renderer_bolds_a_term_with_parentheses_before_a_particle_but_commonmark_would_not():
    # Python-Markdown is lenient here; CommonMark (GitHub, editor previews) leaves the
    # asterisks as text because the closing ** follows ')' and precedes '는'.
    assert render_inline("**파드(Pod)**는") == "<strong>파드(Pod)</strong>는"
    assert render_inline("**파드**(Pod)는") == "<strong>파드</strong>(Pod)는"
    linter = Linter([])
    assert any("굵게" in f for f in linter.check_line("**파드(Pod)**는 가장 작은 단위입니다."))
    assert linter.check_line("**파드**(Pod)는 가장 작은 단위입니다.") == []


@pytest.mark.parametrize(
    "line",
    [
        "배포 단위는 **`apps/v1`**을 씁니다.",
        "**열린 굵게는 닫히지 않습니다.",
        "이것은 ** 공백 ** 입니다.",
    ],
)
def test_bold_that_would_not_render_is_reported(line):
    assert any(f.startswith("굵게") for f in Linter([]).check_line(line))


def test_a_space_added_before_a_particle_to_make_bold_render_is_reported():
    found = Linter([]).check_line("아래층을 **공유** 하므로 디스크를 아낍니다.")
    assert [f for f in found if f.startswith("띄어쓰기")]


def test_an_explanation_that_points_at_a_choice_position_is_reported_on_its_line(lint_dir):
    path = write_lesson(lint_dir)
    text = path.read_text().replace(
        "explanation: 파드는 쿠버네티스에서", "explanation: 첫 번째 보기가 맞습니다. 파드는 쿠버네티스에서"
    )
    path.write_text(text)
    [found] = findings(lint_dir)
    assert f":{line_of(path, '첫 번째 보기')}: 퀴즈: 해설이 보기의 위치('첫 번째 보기')" in found


def test_a_short_answer_prompt_that_gives_away_its_length_is_reported(lint_dir):
    path = write_lesson(lint_dir)
    path.write_text(path.read_text().replace("(한 단어)", "(두 글자)"))
    [found] = findings(lint_dir)
    assert f":{line_of(path, '(두 글자)')}: 퀴즈: 질문이 답의 글자 수" in found


def test_lab_text_is_linted_and_yaml_quotes_are_not_taken_for_quoted_speech(lint_dir):
    lab = lint_dir / "labs" / "demo" / "lab.yaml"
    lab.parent.mkdir(parents=True)
    lab.write_text('title: 데모\nsteps:\n  - hint: "서비스어카운트를 만드세요."\n', encoding="utf-8")
    [found] = findings(lint_dir)
    assert "labs/demo/lab.yaml:3: 용어: '서비스어카운트'" in found


def test_glossary_terms_come_from_the_glossary_file(lint_dir):
    (lint_dir / "glossary.yaml").write_text("terms:\n  - use: 파드\n    avoid: [팟]\n", encoding="utf-8")
    write_lesson(lint_dir, "## 소개\n\n팟 하나와 로드밸런서 하나.\n")
    assert [f.split(": ", 1)[1] for f in findings(lint_dir)] == ["용어: '팟' → '파드'"]


def test_the_command_prints_each_finding_and_fails(lint_dir):
    write_lesson(lint_dir, "## 소개\n\n외부 트래픽은 로드밸런서가 받습니다.\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1건"):
        call_command("content_lint", "--dir", str(lint_dir), stdout=io.StringIO(), stderr=err)
    assert "first-lesson.md:" in err.getvalue()


def test_the_command_passes_clean_content(lint_dir):
    out = io.StringIO()
    call_command("content_lint", "--dir", str(lint_dir), stdout=out, stderr=io.StringIO())
    assert "통과" in out.getvalue()


def test_short_answer_lists_may_name_variants():
    assert Linter([Term("선언적", ("선언형",))]).check_line("    answers: [선언적, 선언형 방식]") == []


def test_a_term_listed_only_as_preferred_is_never_reported():
    assert Linter([Term("로드 밸런서", ("로드밸런서",))]).check_line("로드 밸런서를 씁니다.") == []


def test_the_real_course_and_lab_text_passes_the_content_lint(settings):
    errors = lint_content(settings.CONTENT_DIR)
    assert not errors, "\n".join(map(str, errors))
