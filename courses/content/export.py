"""export_courses: database → content/courses/ files that sync back without change."""

from pathlib import Path

import yaml

from kubaeum.safe_yaml import SafeYamlError

from ..models import Course, Lesson
from .frontmatter import load_yaml


def course_yaml(course: Course) -> str:
    modules = []
    for m in course.modules.filter(is_published=True).order_by("order"):
        lessons = list(
            m.lessons.exclude(status=Lesson.Status.ARCHIVED).order_by("order").values_list("slug", flat=True)
        )
        if lessons:  # a module without lessons would not sync back
            modules.append({"slug": m.slug, "title": m.title, "summary": m.summary, "lessons": lessons})
    wanted = {"title": course.title, "summary": course.summary, "order": course.order, "modules": modules}
    # Byte-for-byte round trip: the synced course.yaml is kept as written when the rows
    # still say the same thing (comments, folding and quoting survive).
    if course.source:
        try:
            if _normalise(load_yaml(course.source)) == _normalise(wanted):
                return course.source
        except SafeYamlError:
            pass  # a stored source that no longer parses is simply rewritten
    return _dump(wanted)


def _normalise(data) -> dict:
    data = dict(data or {})
    data.setdefault("summary", "")
    data.setdefault("order", 0)
    data["summary"] = str(data["summary"] or "").strip()
    data["modules"] = [
        {"slug": m.get("slug"), "title": str(m.get("title", "")).strip(), "summary": str(m.get("summary") or "").strip(),
         "lessons": list(m.get("lessons") or [])}
        for m in data.get("modules") or []
    ]  # fmt: skip
    return data


def _scalar(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


def _dump(data: dict) -> str:
    out = [f"title: {_scalar(data['title'])}"]
    if data["summary"]:
        out.append(f"summary: {_scalar(data['summary'])}")
    out.append(f"order: {data['order']}")
    out.append("modules:")
    for m in data["modules"]:
        out.append(f"  - slug: {m['slug']}")
        out.append(f"    title: {_scalar(m['title'])}")
        if m["summary"]:
            out.append(f"    summary: {_scalar(m['summary'])}")
        out.append(f"    lessons: [{', '.join(m['lessons'])}]")
    return "\n".join(out) + "\n"


def _write(path: Path, text: str) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == text.encode():
        return False
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return True


def export_courses(content_dir: Path) -> tuple[int, int]:
    """Writes course.yaml and lesson files; returns (files written, files unchanged)."""
    written = unchanged = 0
    root = Path(content_dir) / "courses"
    for course in Course.objects.filter(is_published=True):
        changed = _write(root / course.slug / "course.yaml", course_yaml(course))
        written, unchanged = written + changed, unchanged + (not changed)
        lessons = course.lessons.exclude(status=Lesson.Status.ARCHIVED).filter(module__is_published=True)
        for lesson in lessons.select_related("module"):
            changed = _write(root / course.slug / lesson.module.slug / f"{lesson.slug}.md", lesson.source)
            written, unchanged = written + changed, unchanged + (not changed)
    return written, unchanged
