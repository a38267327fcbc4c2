"""File labs (scope: none) grade the submitted files alone, so their whole self-test runs
without a cluster: the reference solution scores full marks, the starter does not, and every
alternative-correct and known-wrong case gets its verdict with the text the student sees."""

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
