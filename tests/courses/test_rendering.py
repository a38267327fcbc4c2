import pytest

from courses.rendering import render_inline, render_lesson, render_prompt
from courses.rendering.slugs import korean_slugify

FENCE = "```"


@pytest.mark.parametrize(
    "language, code, token_class",
    [
        ("yaml", "apiVersion: v1\nkind: Pod", 'class="nt"'),
        ("bash", "kubectl get pods -n default", 'class="w"'),
        ("console", "$ kubectl get pods\nNAME READY", 'class="gp"'),
        ("dockerfile", "FROM python:3.13\nRUN pip install django", 'class="k"'),
        ("json", '{"kind": "Pod"}', 'class="nt"'),
        ("python", "def hello():\n    return 1", 'class="k"'),
    ],
)
def test_code_blocks_are_highlighted_with_css_classes(language, code, token_class):
    html = render_lesson(f"{FENCE}{language}\n{code}\n{FENCE}\n").html
    assert '<div class="highlight">' in html
    assert token_class in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="/static/x.svg" onerror="alert(1)">',
        "[눌러 보세요](javascript:alert(1))",
        '<a href="javascript:alert(1)">링크</a>',
        '<div onclick="alert(1)">클릭</div>',
        '<iframe src="https://example.com"></iframe>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_scripts_event_handlers_and_javascript_urls_never_survive(dangerous):
    html = render_lesson(f"본문\n\n{dangerous}\n").html.lower()
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html


def test_admonitions_tables_images_and_toc_are_rendered():
    body = (
        "## 파드란 무엇인가?\n\n"
        '!!! warning "주의"\n    시크릿은 암호화가 아닙니다.\n\n'
        "| 오브젝트 | 역할 |\n|---|---|\n| 파드 | 실행 단위 |\n\n"
        "![구조](/static/diagrams/k8s-architecture.svg)\n\n"
        "### 더 알아보기\n"
    )
    rendered = render_lesson(body)
    assert '<div class="admonition warning">' in rendered.html
    assert '<p class="admonition-title">주의</p>' in rendered.html
    assert "<table>" in rendered.html and "<td>파드</td>" in rendered.html
    assert '<img alt="구조" src="/static/diagrams/k8s-architecture.svg">' in rendered.html
    assert '<h2 id="파드란-무엇인가">' in rendered.html
    assert 'href="#파드란-무엇인가"' in rendered.toc_html and 'href="#더-알아보기"' in rendered.toc_html


def test_remote_images_are_dropped_but_their_alt_text_stays():
    html = render_lesson("![원격](https://tracker.example/pixel.png)").html
    assert "tracker.example" not in html and 'alt="원격"' in html


def test_unknown_classes_from_attr_lists_are_removed():
    html = render_lesson("## 제목 {: .evil-class }\n\n문단\n{: .other-class }\n").html
    assert "<h2" in html and "문단</p>" in html
    assert "evil-class" not in html and "other-class" not in html


def test_korean_slugify_keeps_hangul_and_drops_punctuation():
    assert korean_slugify("파드(Pod)란 무엇인가?") == "파드pod란-무엇인가"
    assert korean_slugify("  kubectl  기본 명령 ") == "kubectl-기본-명령"


def test_quiz_text_shows_angle_bracket_placeholders_once_escaped_in_and_out_of_code():
    assert render_inline("`kubectl logs <pod>` 실행") == "<code>kubectl logs &lt;pod&gt;</code> 실행"
    assert render_inline("a < b <b>굵게</b>") == "a &lt; b &lt;b&gt;굵게&lt;/b&gt;"
    assert "<script" not in render_inline("<script>alert(1)</script>")


def test_a_quiz_prompt_with_a_manifest_keeps_its_code_block_lines_and_a_plain_prompt_stays_inline():
    prompt = "다음 파드의 QoS 클래스는?\n\n```yaml\nspec:\n  containers:\n    - name: web\n```\n"
    html = render_prompt(prompt)
    assert html.startswith("<p>다음 파드의 QoS 클래스는?</p>")
    assert '<div class="highlight"><pre>' in html
    code = html[html.index("<pre>") :]
    assert "\n" in code and "containers" in code and "name" in code
    assert (
        render_prompt("`replicas: 3`이면 파드는 몇 개인가요?")
        == "<code>replicas: 3</code>이면 파드는 몇 개인가요?"
    )
