"""File labs (scope: none) grade the submitted files alone, so their whole self-test runs
without a cluster: the reference solution scores full marks, the starter does not, and every
alternative-correct and known-wrong case gets its verdict with the text the student sees."""

import io

import pytest
from django.conf import settings

from labs.content import sync_labs
from labs.grading.selftest import run_selftest
from labs.models import Lab

FILE_LABS = sorted(
    p.parent.name
    for p in (settings.CONTENT_DIR / "labs").glob("*/lab.yaml")
    if "scope: none" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("slug", FILE_LABS)
def test_file_lab_passes_its_self_test_without_a_cluster(slug, db):
    sync_labs(settings.CONTENT_DIR)
    result = run_selftest(Lab.objects.get(slug=slug))
    assert result.ok, result.summary()
    assert result.false_passes == 0 and result.false_fails == 0
    assert result.untouched_score < result.max_score


SOLUTION = (settings.CONTENT_DIR / "labs/dockerfile-http-server/solution.Dockerfile").read_text(
    encoding="utf-8"
)


def test_cases_kept_outside_the_lab_are_graded_and_counted_without_naming_checks(tmp_path, db):
    """`lab_selftest --cases-from DIR` grades answers written by someone who never read the
    lab's checks: a wrong case names no check, and is caught when any check fails."""
    from django.core.management import CommandError, call_command

    sync_labs(settings.CONTENT_DIR)
    folder = tmp_path / "dockerfile-http-server"
    folder.mkdir()

    def case(name, expect, dockerfile):
        text = f"title: {name}\nexpect: {expect}\nfiles:\n  Dockerfile: |\n"
        text += "".join(f"    {line}\n" for line in dockerfile.splitlines())
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")

    case("ok-solution", "pass", SOLUTION)
    case(
        "wrong-shell-form-cmd",
        "fail",
        SOLUTION.replace('CMD ["python", "server.py"]', "CMD python server.py"),
    )
    case("wrong-but-it-is-right", "fail", SOLUTION)  # a wrong verdict the count must show
    out = io.StringIO()
    with pytest.raises(CommandError, match="dockerfile-http-server"):
        call_command("lab_selftest", "dockerfile-http-server", cases_from=tmp_path, stdout=out)
    assert "맞는 사례 1개 중 잘못 실패 0개, 틀린 사례 2개 중 잘못 통과 1개" in out.getvalue()
    assert "wrong-but-it-is-right (fail): 잘못 통과" in out.getvalue()


def test_a_broken_outside_case_file_is_reported_with_its_path_and_line(tmp_path, db):
    from django.core.management import CommandError, call_command

    sync_labs(settings.CONTENT_DIR)
    folder = tmp_path / "dockerfile-http-server"
    folder.mkdir()
    (folder / "bad.yaml").write_text("title: 잘못된 키\nexpect: fail\nmanifest: x\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.yaml:3: 알 수 없는 항목 'manifest'"):
        call_command("lab_selftest", "dockerfile-http-server", cases_from=tmp_path, stdout=io.StringIO())
