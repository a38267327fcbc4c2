"""Labs that need real containers (`requires: {containers: true}`) are published only where the
kind provider really reports itself available; elsewhere they are synced unpublished and say why."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings

from labs.content import sync_labs
from labs.models import Lab

CONTAINER_LABS = sorted(
    p.parent.name
    for p in (settings.CONTENT_DIR / "labs").glob("*/lab.yaml")
    if "containers: true" in p.read_text(encoding="utf-8")
)
# The kind CLI the real-containers build makes, when this machine has it (PATH first).
REAL_KIND = shutil.which("kind") or next(
    (str(p) for p in sorted(Path.home().glob(".cache/kubaeum/kind/*/kind")) if p.is_file()), None
)


def test_the_course_ships_at_least_four_labs_that_need_real_containers():
    assert len(CONTAINER_LABS) >= 4, CONTAINER_LABS


def test_container_labs_are_synced_unpublished_with_the_reason_when_kind_is_unavailable(db, settings):
    settings.LAB_KIND_BINARY = "kubaeum-kind-that-is-not-installed"
    out = StringIO()
    counts = sync_labs(settings.CONTENT_DIR, out)
    assert counts["컨테이너 필요로 비공개"] == len(CONTAINER_LABS)
    for lab in Lab.objects.filter(slug__in=CONTAINER_LABS):
        assert lab.containers is True and lab.is_published is False, lab.slug
        assert "kind 실습 환경을 쓸 수 없어" in lab.unpublished_reason
        assert "kind CLI가 없습니다" in lab.unpublished_reason  # the provider says why
    assert all(slug in out.getvalue() for slug in CONTAINER_LABS)
    assert Lab.objects.get(slug="first-pod").is_published is True


# Needs a Docker engine that answers, not only the docker CLI: it runs with the kind tests
# (`make test` starts the engine), never in `make test-fast`.
@pytest.mark.kind
@pytest.mark.skipif(
    REAL_KIND is None or not shutil.which("docker"), reason="kind CLI나 docker가 이 기계에 없음"
)
def test_container_labs_are_published_once_kind_is_available_and_hidden_again_when_it_goes(db, settings):
    settings.LAB_KIND_BINARY = "kubaeum-kind-that-is-not-installed"
    sync_labs(settings.CONTENT_DIR)
    settings.LAB_KIND_BINARY = REAL_KIND
    counts = sync_labs(settings.CONTENT_DIR)
    assert counts["컨테이너 필요로 비공개"] == 0
    published = Lab.objects.filter(slug__in=CONTAINER_LABS, is_published=True)
    assert published.count() == len(CONTAINER_LABS)
    assert all(lab.unpublished_reason == "" for lab in published)
    settings.LAB_KIND_BINARY = "kubaeum-kind-that-is-not-installed"
    sync_labs(settings.CONTENT_DIR)
    assert not Lab.objects.filter(slug__in=CONTAINER_LABS, is_published=True).exists()


def test_a_container_labs_self_test_without_kind_says_so_instead_of_running_on_a_simulated_cluster(
    db, settings
):
    from labs.grading.selftest import run_selftest
    from labs.models import LabSession

    settings.LAB_KIND_BINARY = "kubaeum-kind-that-is-not-installed"
    sync_labs(settings.CONTENT_DIR)
    result = run_selftest(Lab.objects.get(slug=CONTAINER_LABS[0]))
    assert not result.ok
    assert "실제 컨테이너" in result.error and "사용할 수 없습니다" in result.error, result.error
    assert result.cases == [] and not LabSession.objects.exists()
