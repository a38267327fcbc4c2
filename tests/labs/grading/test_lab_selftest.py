"""Every lab: its reference solution scores 100% in a fresh sandbox, the untouched sandbox does
not, every case in cases/ gets its verdict, and every requirement has a check."""

import pytest
from django.conf import settings
from django.core.management import call_command

from labs.content import load_labs, sync_labs
from labs.grading.selftest import run_selftest
from labs.models import Lab
from labs.spec import LabDefinition

SLUGS = sorted(p.name for p in (settings.CONTENT_DIR / "labs").iterdir() if (p / "lab.yaml").is_file())
NEEDS_CONTAINERS = {
    slug
    for slug in SLUGS
    if "containers: true" in (settings.CONTENT_DIR / "labs" / slug / "lab.yaml").read_text(encoding="utf-8")
}
# The local cluster simulates pods (kwok): probes, logs, finished Jobs and HTTP answers do not
# exist there, so a lab that needs real containers cannot be judged on it. Those labs run their
# self-test on a kind cluster instead (tests marked `kind`), and stay unpublished without one.
ON_LOCAL_CLUSTER = [
    pytest.param(
        slug,
        marks=pytest.mark.skip(
            reason="실제 컨테이너가 필요한 실습: kwok 클러스터에서는 판정할 수 없어 kind 클러스터에서만 자체 시험합니다"
        ),
    )
    if slug in NEEDS_CONTAINERS
    else slug
    for slug in SLUGS
]


def test_there_are_at_least_ten_labs_with_both_kinds_of_grading():
    assert len(SLUGS) >= 10
    kinds = {
        p.read_text(encoding="utf-8").count("scope: none") > 0
        for p in (settings.CONTENT_DIR / "labs").glob("*/lab.yaml")
    }
    assert kinds == {True, False}


def test_every_lab_ships_alternative_correct_and_known_wrong_cases_and_covers_its_requirements():
    labs, errors = load_labs(settings.CONTENT_DIR)
    assert errors == []
    for fields in labs:
        definition, slug = fields["definition"], fields["slug"]
        cases = definition["cases"]
        assert sum(c["expect"] == "pass" for c in cases) >= 3, slug
        # Known-wrong answers the grading itself must catch; a refused case (one the sandbox's
        # API server refuses before any check runs) comes on top of these, never instead.
        assert sum(c["expect"] == "fail" for c in cases) >= 4, slug
        assert LabDefinition.from_stored(definition).coverage_problems() == [], slug


@pytest.mark.parametrize("slug", ["dockerfile-http-server", "compose-two-services"])
def test_file_lab_cases_get_their_verdicts_without_a_cluster(slug, db):
    sync_labs(settings.CONTENT_DIR)
    result = run_selftest(Lab.objects.get(slug=slug))
    assert result.ok, result.summary()
    assert result.false_passes == 0 and result.false_fails == 0
    assert result.count("fail") >= 4 and result.count("pass") >= 3


@pytest.mark.cluster
@pytest.mark.parametrize("slug", ON_LOCAL_CLUSTER)
def test_lab_solution_scores_full_marks_and_untouched_sandbox_does_not(slug, cluster, db):
    sync_labs(settings.CONTENT_DIR)
    result = run_selftest(Lab.objects.get(slug=slug))
    print(result.summary())
    assert result.ok, result.summary()
    assert result.solution_score == result.max_score
    assert result.untouched_failing, "an untouched sandbox must fail at least one check"


@pytest.mark.cluster
def test_lab_selftest_command_reports_each_lab(cluster, db, capsys):
    sync_labs(settings.CONTENT_DIR)
    call_command("lab_selftest", "dockerfile-http-server", "first-pod")
    out = capsys.readouterr().out
    assert "dockerfile-http-server: 통과" in out
    assert "first-pod: 통과" in out
    assert "사례 합계: 맞는 사례" in out and "잘못 통과 0개" in out


@pytest.mark.cluster
def test_a_fresh_wrong_case_the_sandbox_refuses_is_caught_and_a_broken_command_is_an_error(
    cluster, db, tmp_path
):
    """Cases from outside the lab (`--cases-from`) name no check: a NodePort Service the
    namespace sandbox refuses counts as caught; a command about an object that does not exist
    is the case's own mistake, reported as a run error, never as a verdict."""
    from labs.management.commands.lab_selftest import outside_cases

    sync_labs(settings.CONTENT_DIR)
    lab = Lab.objects.get(slug="service-expose")
    folder = tmp_path / lab.slug
    folder.mkdir()
    (folder / "wrong-nodeport.yaml").write_text(
        "title: NodePort\nexpect: fail\nmanifests: |\n  apiVersion: v1\n  kind: Service\n  metadata: {name: shop}\n"
        "  spec: {type: NodePort, selector: {app: shop}, ports: [{port: 80, targetPort: 5678}]}\n",
        encoding="utf-8",
    )
    (folder / "wrong-typo.yaml").write_text(
        "title: 오타\nexpect: fail\ncommands:\n  - [kubectl, scale, deployment/shpo, --replicas=2]\n",
        encoding="utf-8",
    )
    result = run_selftest(lab, cases=outside_cases(lab, folder))
    verdicts = {c.name: c.verdict for c in result.cases}
    assert verdicts == {"wrong-nodeport": "ok", "wrong-typo": "error"}, result.summary()
