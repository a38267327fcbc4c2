"""Labs on the kind lab cluster (namespace sandboxes on the run's one kind cluster): every lab
that declares `containers: true` passes the engine's own self-test with real containers,
cases included: the reference solution scores full marks and the untouched sandbox does not,
every alternative-correct case scores full marks, and every known-wrong case fails exactly
the checks it names, with the text the student sees, for at least as long as the reference
solution needed. Two labs written for kwok score full marks there too."""

import pytest
from django.conf import settings as django_settings

from labs.content import sync_labs
from labs.grading.selftest import run_selftest
from labs.models import Lab

pytestmark = [pytest.mark.kind, pytest.mark.django_db(transaction=True)]

CONTAINER_LABS = sorted(
    p.parent.name
    for p in (django_settings.CONTENT_DIR / "labs").glob("*/lab.yaml")
    if "containers: true" in p.read_text(encoding="utf-8")
)


@pytest.fixture
def on_the_kind_lab_cluster(kind_cluster, settings):
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kind"
    settings.LAB_DEFAULT_PROVIDER = "namespace"
    sync_labs(django_settings.CONTENT_DIR)


@pytest.mark.parametrize("slug", CONTAINER_LABS)
def test_a_lab_that_needs_real_containers_passes_its_self_test_and_every_case_on_kind(
    slug, on_the_kind_lab_cluster
):
    lab = Lab.objects.get(slug=slug)
    assert lab.is_published, lab.unpublished_reason
    # Generous: a liveness probe needs about a minute to restart a container, longer on a
    # loaded machine; a correct answer returns as soon as it scores full marks.
    result = run_selftest(lab, timeout=240)
    print(result.summary())
    assert result.ok, result.summary()
    assert result.false_passes == 0 and result.false_fails == 0
    assert result.count("pass") >= 3 and result.count("fail") >= 4


@pytest.mark.parametrize("slug", ["first-pod", "fix-broken-deployment"])
def test_the_reference_solution_of_a_lab_written_for_kwok_scores_full_marks_with_real_containers(
    slug, on_the_kind_lab_cluster
):
    result = run_selftest(Lab.objects.get(slug=slug), cases=False)
    print(result.summary())
    assert result.solution_score == result.max_score, result.summary()
    assert result.untouched_failing


def test_cases_beyond_what_the_node_fits_run_in_waves_with_the_same_verdicts(
    on_the_kind_lab_cluster, monkeypatch
):
    """More cases than SANDBOXES_AT_ONCE: the later ones wait for a wave of their own (their
    own fresh sandboxes, the earlier wave's gone) and still get every verdict right."""
    from labs.grading import selftest_containers

    monkeypatch.setattr(selftest_containers, "SANDBOXES_AT_ONCE", 5)
    lab = Lab.objects.get(slug="crashloop-read-the-logs")
    assert len(lab.spec.cases) > 5
    result = run_selftest(lab, timeout=240)
    print(result.summary())
    assert result.ok, result.summary()
    assert len(result.cases) == len(lab.spec.cases)
