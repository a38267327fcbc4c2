"""A small content tree written to tmp_path, and a course synced from it."""

import textwrap
from pathlib import Path

import pytest
from django.core.cache import cache

from courses.content.sync import sync_courses
from courses.models import Course

COURSE_YAML = """\
title: 테스트 강좌
summary: 동기화를 시험하는 작은 강좌
order: 1
modules:
  - slug: basics
    title: 기초
    summary: 첫 모듈
    lessons: [first-lesson, second-lesson]
  - slug: advanced
    title: 심화
    lessons: [third-lesson]
"""


def lesson_text(title: str, body: str = "## 소개\n\n본문입니다.\n\n## 정리\n\n끝.\n", extra: str = "") -> str:
    return (
        textwrap.dedent(
            f"""\
        ---
        title: {title}
        summary: {title} 요약
        minutes: 7
        objectives:
          - 첫째 목표
          - 둘째 목표
        quiz:
          - id: q1
            type: single
            prompt: 파드는 무엇인가요?
            choices:
              - {{id: a, text: 가장 작은 배포 단위, correct: true}}
              - {{id: b, text: 노드의 다른 이름}}
            explanation: 파드는 쿠버네티스에서 만들고 관리하는 가장 작은 단위입니다.
          - id: q2
            type: multiple
            prompt: 컨트롤 플레인 구성 요소를 모두 고르세요.
            choices:
              - {{id: a, text: kube-apiserver, correct: true}}
              - {{id: b, text: etcd, correct: true}}
              - {{id: c, text: kubelet}}
            explanation: kubelet은 워커 노드에서 동작합니다.
          - id: q3
            type: short
            prompt: 컨테이너를 실행하는 가장 작은 단위는? (한 단어)
            answers: [파드, Pod]
            explanation: 파드(Pod)입니다.
        {extra}---
        """
        )
        + body
    )


def write_tree(root: Path) -> Path:
    course = root / "courses" / "test-course"
    (course / "basics").mkdir(parents=True, exist_ok=True)
    (course / "advanced").mkdir(parents=True, exist_ok=True)
    (course / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (course / "basics" / "first-lesson.md").write_text(lesson_text("첫 레슨"), encoding="utf-8")
    (course / "basics" / "second-lesson.md").write_text(lesson_text("둘째 레슨"), encoding="utf-8")
    (course / "advanced" / "third-lesson.md").write_text(lesson_text("셋째 레슨"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The shared user fixtures hash real passwords; PBKDF2 costs ~0.5 s per user here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clear_cache():
    # Visit throttling and page fragments live in the (per-process) cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def content_dir(tmp_path):
    return write_tree(tmp_path / "content")


@pytest.fixture
def course(db, content_dir):
    sync_courses(content_dir)
    return Course.objects.get(slug="test-course")


@pytest.fixture
def lesson(course):
    return course.lessons.get(slug="first-lesson")
