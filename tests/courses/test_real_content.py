"""The contract with the course material in content/: it syncs, and it is complete."""

import re
from pathlib import Path

from django.conf import settings

from courses.content.sync import sync_courses
from courses.models import Lesson, Module, Question

ROOT = Path(__file__).resolve().parents[2]


def test_the_real_content_syncs_and_meets_the_size_and_quiz_requirements(db):
    sync_courses(settings.CONTENT_DIR)
    lessons = list(Lesson.objects.published())
    assert Module.objects.filter(is_published=True).count() >= 7
    assert len(lessons) >= 20
    for lesson in lessons:
        assert lesson.questions.count() >= 3, f"{lesson.slug}: 퀴즈 문항이 3개 미만입니다"
        assert lesson.objectives, f"{lesson.slug}: 학습 목표가 없습니다"
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "short"}
    assert not sync_courses(settings.CONTENT_DIR).changed


def test_the_three_required_diagrams_are_referenced_and_exist(db):
    sync_courses(settings.CONTENT_DIR)
    referenced = set()
    for lesson in Lesson.objects.published():
        referenced |= set(re.findall(r'src="/static/diagrams/([a-z0-9-]+\.svg)"', lesson.body_html))
    for name in referenced:
        assert (ROOT / "static" / "diagrams" / name).is_file(), f"{name} 파일이 없습니다"
    assert any("monolith" in n and "microservice" in n for n in referenced), referenced
    assert any(("vm" in n or "virtual" in n) and "container" in n for n in referenced), referenced
    assert any(re.search(r"control-plane|architecture|cluster|node", n) for n in referenced), referenced
