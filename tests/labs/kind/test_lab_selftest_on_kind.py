"""Labs on the kind lab cluster (LAB_SHARED_CLUSTER=kind): the self-test runs the reference
solution with real containers (kubaeum/* images preloaded in the node) and it scores full
marks, while the untouched sandbox does not. (The alternative/wrong cases are left to the
grading tests: run side by side they currently collide on the one-live-session-per-lab rule.)"""

import pytest
from django.conf import settings as django_settings

from labs.content import sync_labs
from labs.grading.selftest import run_selftest
from labs.models import Lab

pytestmark = [pytest.mark.kind, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("slug", ["first-pod", "fix-broken-deployment"])
def test_the_reference_solution_scores_full_marks_with_real_containers_on_the_kind_lab_cluster(
    slug, kind_cluster, settings
):
    settings.LAB_CLUSTER_KUBECONFIG = str(kind_cluster.kubeconfig)
    settings.LAB_SHARED_CLUSTER = "kind"
    sync_labs(django_settings.CONTENT_DIR)
    result = run_selftest(Lab.objects.get(slug=slug))
    print(result.summary())
    assert result.solution_score == result.max_score, result.summary()
    assert result.untouched_failing
