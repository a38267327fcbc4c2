"""Read content/courses/ into validated CourseData, collecting every error first."""

from pathlib import Path

from kubaeum.safe_yaml import SafeYamlError

from .errors import ContentError, Problems, display_path
from .frontmatter import load_yaml
from .schema import SLUG, CourseData, ModuleData
from .validate import text_field, unique_id, validate_lesson

COURSE_KEYS = {"title", "summary", "order", "modules"}
MODULE_KEYS = {"slug", "title", "summary", "lessons"}


def read_text(path: Path) -> str:
    # newline="" keeps the bytes as written, so export can write them back unchanged.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _modules(raw, p: Problems) -> list[ModuleData]:
    if not isinstance(raw, list) or not raw:
        p.at(("modules",), "modules 목록이 필요합니다 (모듈이 1개 이상).")
        return []
    modules: list = []
    seen_modules: set[str] = set()
    seen_lessons: set[str] = set()
    for i, m in enumerate(raw):
        path = ("modules", i)
        if not isinstance(m, dict):
            p.at(path, "모듈은 slug, title, lessons를 가진 매핑이어야 합니다.")
            continue
        slug = unique_id(
            m, "slug", SLUG, path, seen_modules, p,
            invalid="모듈 slug '{value}'가 올바르지 않습니다 (영문 소문자 kebab-case).",
            duplicate="모듈 slug '{value}'가 중복되었습니다.",
        )  # fmt: skip
        title = text_field(m, "title", path, p)
        summary = text_field(m, "summary", path, p, required=False)
        for key in sorted(set(map(str, m)) - MODULE_KEYS):
            p.at((*path, key), f"모듈에 알 수 없는 항목 '{key}'가 있습니다.")
        lessons = m.get("lessons")
        if not isinstance(lessons, list) or not lessons:
            p.at((*path, "lessons") if "lessons" in m else path, "모듈의 lessons 목록이 필요합니다.")
            lessons = []
        clean = []
        for j, lesson in enumerate(lessons):
            lesson = str(lesson).strip()
            if not SLUG.match(lesson):
                p.at(
                    (*path, "lessons", j),
                    f"레슨 slug '{lesson}'가 올바르지 않습니다 (영문 소문자 kebab-case).",
                )
            elif lesson in seen_lessons:
                p.at((*path, "lessons", j), f"레슨 slug '{lesson}'가 강좌 안에서 중복되었습니다.")
            else:
                clean.append(lesson)
            seen_lessons.add(lesson)
        modules.append(ModuleData(slug=slug, title=title, summary=summary, lessons=clean))
    return modules


def load_course(course_dir: Path, errors: list[ContentError]) -> CourseData | None:
    yaml_path = course_dir / "course.yaml"
    shown = display_path(yaml_path)
    if not SLUG.match(course_dir.name):
        errors.append(
            ContentError(shown, 1, f"강좌 폴더 이름 '{course_dir.name}'은 영문 소문자 kebab-case여야 합니다.")
        )
        return None
    source = read_text(yaml_path)
    try:
        data = load_yaml(source)
    except SafeYamlError as exc:
        errors.append(ContentError(shown, exc.line or 1, exc.reason))
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(shown, 1, "course.yaml은 '키: 값' 형태의 YAML 매핑이어야 합니다."))
        return None
    p = Problems(shown, data)
    title = text_field(data, "title", (), p)
    summary = text_field(data, "summary", (), p, required=False)
    order = data.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        p.at(("order",), "order는 정수여야 합니다.")
        order = 0
    for key in sorted(set(map(str, data)) - COURSE_KEYS):
        p.at((key,), f"알 수 없는 항목 '{key}' (사용 가능: {', '.join(sorted(COURSE_KEYS))})")
    modules = _modules(data.get("modules"), p)
    course = CourseData(course_dir.name, title, summary, order, modules, source)
    for i, module in enumerate(modules):
        if not SLUG.match(module.slug):
            continue  # already reported; its folder name is unknowable
        for j, slug in enumerate(module.lessons):
            lesson_path = course_dir / module.slug / f"{slug}.md"
            if not lesson_path.is_file():
                p.at(("modules", i, "lessons", j), f"레슨 파일이 없습니다: {display_path(lesson_path)}")
                continue
            lesson, problems = validate_lesson(slug, read_text(lesson_path))
            for line, message in problems:
                errors.append(ContentError(display_path(lesson_path), line, message))
            if lesson:
                course.lessons[slug] = lesson
                course.lesson_module[slug] = module.slug
    errors.extend(sorted(p.errors))
    return course


def load_courses(content_dir: Path) -> tuple[list[CourseData], list[ContentError], list[str]]:
    """Returns (courses, errors, warnings). Courses are only usable when errors is empty."""
    root = Path(content_dir) / "courses"
    courses: list = []
    errors: list = []
    warnings: list = []
    if not root.is_dir():
        warnings.append(f"{display_path(root)} 폴더가 없습니다: 불러올 강좌가 없습니다.")
        return courses, errors, warnings
    for course_dir in sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")):
        if not (course_dir / "course.yaml").is_file():
            warnings.append(f"{display_path(course_dir)}: course.yaml이 없어 건너뜁니다.")
            continue
        course = load_course(course_dir, errors)
        if course:
            courses.append(course)
            listed = {(m, s) for s, m in course.lesson_module.items()}
            for md in sorted(course_dir.glob("*/*.md")):
                if (md.parent.name, md.stem) not in listed and not errors:
                    warnings.append(f"{display_path(md)}: course.yaml에 없는 레슨 파일이라 건너뜁니다.")
    return courses, errors, warnings
