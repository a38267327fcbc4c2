"""Lab files: validation errors as `path:line: 메시지`, and sync with the lesson guarantees."""

import shutil
import textwrap
from io import StringIO

import pytest
from django.conf import settings

from courses.content.errors import ContentInvalid
from labs.content import load_labs, sync_labs
from labs.content.lab_format import load_lab
from labs.models import Lab
from labs.spec import LabDefinition

GOOD = """\
title: 연습 실습
summary: 요약
lessons: [pods]
requires: {scope: namespace}
steps:
  - title: 첫 단계
    instructions: "**굵게** 설명"
    checks:
      - id: pod-exists
        type: exists
        title: 파드가 있다
        points: 10
        kind: Pod
        name: hello
solution:
  manifests: solution.yaml
"""
SOLUTION = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers: [{name: a, image: nginx:1.27}]\n"


def write_lab(root, slug, text, solution=SOLUTION):
    folder = root / "labs" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "solution.yaml").write_text(solution, encoding="utf-8")
    return folder


def errors_of(tmp_path, text, lessons=frozenset({"pods"})):
    folder = write_lab(tmp_path, "sample", text)
    fields, errors = load_lab(folder, set(lessons))
    assert fields is None
    return [str(e) for e in errors]


def test_a_valid_lab_loads_with_rendered_markdown(tmp_path):
    fields, errors = load_lab(write_lab(tmp_path, "sample", GOOD), {"pods"})
    assert errors == []
    assert fields["slug"] == "sample" and fields["scope"] == "namespace"
    step = fields["definition"]["steps"][0]
    assert "<strong>굵게</strong>" in step["instructions_html"]
    assert LabDefinition.from_stored(fields["definition"]).max_score == 10
    assert fields["definition"]["solution"]["manifests"][0]["kind"] == "Pod"


def test_unknown_check_type_is_reported_with_its_line(tmp_path):
    errors = errors_of(tmp_path, GOOD.replace("type: exists", "type: exist"))
    assert any(e.endswith("lab.yaml:10: 알 수 없는 검사 종류 'exist'입니다.") for e in errors), errors


def test_malformed_field_path_is_reported_with_its_line(tmp_path):
    text = GOOD.replace(
        "        kind: Pod\n        name: hello\n",
        "        kind: Pod\n        name: hello\n        path: spec..containers\n",
    ).replace("type: exists", "type: field")
    errors = errors_of(tmp_path, text)
    assert any(":15: 'path': 필드 경로 'spec..containers'" in e for e in errors), errors


def test_missing_points_is_reported(tmp_path):
    errors = errors_of(tmp_path, GOOD.replace("        points: 10\n", ""))
    assert any(e.endswith("lab.yaml:9: 검사 'pod-exists'에 점수(points)가 없습니다.") for e in errors), errors


def test_duplicate_check_ids_are_reported(tmp_path):
    duplicate = GOOD.replace(
        "solution:",
        "      - id: pod-exists\n        type: absent\n        title: 또\n        points: 5\n"
        "        kind: Pod\n        name: x\nsolution:",
    )
    errors = errors_of(tmp_path, duplicate)
    assert any("검사 id 'pod-exists'가 중복되었습니다." in e for e in errors), errors


def test_unknown_lesson_and_unknown_key_and_live_check_in_file_lab_are_all_reported(tmp_path):
    text = GOOD.replace("lessons: [pods]", "lessons: [no-such-lesson]\ncolour: blue")
    errors = errors_of(tmp_path, text)
    assert any(":3: 레슨 'no-such-lesson'를 찾을 수 없습니다" in e for e in errors), errors
    assert any(":4: 알 수 없는 항목 'colour'" in e for e in errors), errors
    file_lab = GOOD.replace("{scope: namespace}", "{scope: none}").replace(
        "type: exists\n        title: 파드가 있다\n        points: 10\n        kind: Pod\n",
        "type: pod_ready\n        title: 파드가 있다\n        points: 10\n",
    )
    errors = errors_of(tmp_path, file_lab)
    assert any(":10: 검사 종류 'pod_ready'는 파일 제출 실습에서 쓸 수 없습니다." in e for e in errors), errors
    assert any("'files' 목록" in e for e in errors), errors


def test_a_lab_asks_for_node_ports_in_requires_and_the_typed_spec_carries_them(tmp_path):
    text = GOOD.replace("{scope: namespace}", "{scope: namespace, service_types: [NodePort]}")
    fields, errors = load_lab(write_lab(tmp_path, "sample", text), {"pods"})
    assert errors == []
    assert LabDefinition.from_stored(fields["definition"]).service_types == ("NodePort",)
    plain, _ = load_lab(write_lab(tmp_path, "plain", GOOD), {"pods"})
    assert LabDefinition.from_stored(plain["definition"]).service_types == ()


def test_service_types_outside_the_opt_in_list_or_scope_and_unknown_requirements_are_reported(tmp_path):
    for requires in ("{service_types: [ExternalIP]}", "{service_types: NodePort}"):
        errors = errors_of(tmp_path, GOOD.replace("{scope: namespace}", requires))
        assert any(":4: 'service_types'는 NodePort, LoadBalancer 중에서" in e for e in errors), errors
    cluster = GOOD.replace("{scope: namespace}", "{scope: cluster, service_types: [LoadBalancer]}")
    errors = errors_of(tmp_path, cluster)
    assert any("'service_types'는 네임스페이스 실습(scope: namespace)에서만" in e for e in errors), errors
    errors = errors_of(tmp_path, GOOD.replace("{scope: namespace}", "{scope: namespace, nodeports: true}"))
    assert any(":4: 'requires'에 알 수 없는 항목 'nodeports'" in e for e in errors), errors


def test_a_check_regex_that_does_not_compile_is_reported_at_sync_not_at_grading(tmp_path):
    text = GOOD.replace(
        "type: exists\n        title: 파드가 있다\n        points: 10\n        kind: Pod\n        name: hello\n",
        "type: dockerfile_instruction\n        title: 워크디렉터리\n        points: 10\n"
        '        instruction: WORKDIR\n        regex: "(app"\n',
    )
    errors = errors_of(tmp_path, text)
    assert any(":14: 'regex': 정규식이 잘못되었습니다" in e for e in errors), errors


def test_solution_commands_must_be_plain_kubectl_argument_lists(tmp_path):
    text = (
        GOOD + "  commands:\n    - [bash, -c, 'rm -rf /']\n    - [kubectl, get, pods, --kubeconfig=/etc/x]\n"
    )
    errors = errors_of(tmp_path, text)
    assert any("kubectl로 시작해야 합니다" in e for e in errors), errors
    assert any("'get'" in e or "--kubeconfig" in e for e in errors), errors


def test_yaml_syntax_errors_in_lab_and_setup_files_name_the_file_and_line(tmp_path):
    errors = errors_of(tmp_path, GOOD.replace("summary: 요약", "summary: 요약\n  oops: [\n"))
    assert any("lab.yaml:" in e and "YAML 문법 오류" in e for e in errors), errors
    folder = write_lab(tmp_path, "withsetup", GOOD + "setup: setup.yaml\n")
    (folder / "setup.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n", encoding="utf-8")
    _, errors = load_lab(folder, {"pods"})
    assert any("setup.yaml:1: 'metadata.name' 필드가 없습니다." in str(e) for e in errors), errors


def content_copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR / "courses", root / "courses")
    shutil.copytree(settings.CONTENT_DIR / "labs", root / "labs")
    return root


def test_sync_creates_every_lab_and_a_second_run_changes_nothing(db, tmp_path):
    root = content_copy(tmp_path)
    out = StringIO()
    first = sync_labs(root, out)
    assert first["생성"] >= 10 and "실습: 생성" in out.getvalue()
    stamps = dict(Lab.objects.values_list("slug", "updated_at"))
    second = sync_labs(root)
    assert second["생성"] == second["갱신"] == 0
    assert dict(Lab.objects.values_list("slug", "updated_at")) == stamps


def test_a_lab_edited_between_two_syncs_is_read_again_even_at_the_same_size(db, tmp_path):
    # A second sync of unchanged files reuses the validated lab; any changed byte must not.
    write_lab(tmp_path, "sample", GOOD)
    sync_labs(tmp_path)
    lab_file = tmp_path / "labs" / "sample" / "lab.yaml"
    lab_file.write_text(
        lab_file.read_text(encoding="utf-8").replace("연습 실습", "연습 실험"), encoding="utf-8"
    )
    sync_labs(tmp_path)
    assert Lab.objects.get(slug="sample").title == "연습 실험"
    [fields], _ = load_labs(tmp_path)
    fields["definition"]["steps"].clear()  # a caller changing what it got back
    [again], _ = load_labs(tmp_path)
    assert again["definition"]["steps"][0]["checks"][0]["id"] == "pod-exists"


def test_an_invalid_lab_changes_nothing_and_reports_every_error(db, tmp_path):
    root = content_copy(tmp_path)
    sync_labs(root)
    before = dict(Lab.objects.values_list("slug", "title"))
    lab_file = root / "labs" / "first-pod" / "lab.yaml"
    lab_file.write_text(
        lab_file.read_text(encoding="utf-8").replace("첫 번째 파드 만들기", "바뀐 제목"), encoding="utf-8"
    )
    broken = root / "labs" / "deployment-scaling" / "lab.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("type: deployment_ready", "type: ready"), encoding="utf-8"
    )
    with pytest.raises(ContentInvalid) as exc:
        sync_labs(root)
    assert "deployment-scaling/lab.yaml" in str(exc.value) and "알 수 없는 검사 종류 'ready'" in str(
        exc.value
    )
    assert dict(Lab.objects.values_list("slug", "title")) == before


def test_a_lab_whose_folder_disappeared_is_unpublished_not_deleted(db, tmp_path):
    root = content_copy(tmp_path)
    sync_labs(root)
    shutil.rmtree(root / "labs" / "first-pod")
    counts = sync_labs(root)
    assert counts["비공개 처리"] == 1
    assert Lab.objects.get(slug="first-pod").is_published is False
    write_lab(root, "first-pod", GOOD)
    sync_labs(root)
    assert Lab.objects.get(slug="first-pod").is_published is True


def test_sync_content_command_runs_the_lab_syncer(db, tmp_path):
    from django.core.management import call_command

    root = content_copy(tmp_path)
    out = StringIO()
    call_command("sync_content", "--dir", str(root), stdout=out)
    assert "[실습]" in out.getvalue()
    assert Lab.objects.filter(is_published=True).count() >= 10


def test_the_documented_example_lab_is_valid(tmp_path):
    readme = (settings.BASE_DIR / "docs" / "lab-format.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = write_lab(tmp_path, "first-service", example)
    (folder / "setup.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\nspec:\n  selector: {matchLabels: {app: shop}}\n"
        "  template:\n    metadata: {labels: {app: shop}}\n    spec: {containers: [{name: a, image: 'nginx:1.27'}]}\n",
        encoding="utf-8",
    )
    fields, errors = load_lab(folder, {"deployments-and-services"})
    assert errors == [], errors
    assert LabDefinition.from_stored(fields["definition"]).max_score == 100
