"""Validated, plain-data forms of course.yaml and lesson files (no database here)."""

import hashlib
import re
from dataclasses import dataclass, field

from ..rendering import RENDERER_VERSION

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z0-9-]+$")
KINDS = ("single", "multiple", "short")
LESSON_KEYS = {"title", "summary", "minutes", "objectives", "quiz", "draft"}
QUESTION_KEYS = {"id", "type", "prompt", "choices", "answers", "explanation"}


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class QuestionData:
    key: str
    kind: str
    prompt: str
    explanation: str
    choices: list[dict] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


@dataclass
class LessonData:
    slug: str
    title: str
    summary: str
    minutes: int
    objectives: list[str]
    questions: list[QuestionData]
    body: str
    source: str
    draft: bool = False

    @property
    def hash(self) -> str:
        return content_hash(RENDERER_VERSION, self.source)


@dataclass
class ModuleData:
    slug: str
    title: str
    summary: str
    lessons: list[str]


@dataclass
class CourseData:
    slug: str
    title: str
    summary: str
    order: int
    modules: list[ModuleData]
    source: str
    lessons: dict[str, LessonData] = field(default_factory=dict)  # lesson slug → data
    lesson_module: dict[str, str] = field(default_factory=dict)  # lesson slug → module slug
