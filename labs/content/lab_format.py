"""Lab files: content/labs/<slug>/lab.yaml (+ setup/solution files) → a validated definition.

Every problem is reported as `path:line: 메시지` (all of them, not just the first), in the
same shape as lesson errors, so `sync_content` prints both the same way.
"""

import re
from pathlib import Path

from courses.content.errors import Problems, display_path
from kubaeum.safe_yaml import SafeYamlError, load_one, plain
from kubaeum.safe_yaml import line_of as _line
from labs.spec import CHECK_COMMON, CHECK_TEXTS, DEFAULT_HINTS_AFTER

from ..grading import custom_checks  # noqa: F401  registers the `python` check type
from ..grading.checks import CHECK_TYPES
from ..grading.checks.registry import PARAM_TYPES
from ..grading.kinds import KINDS, is_namespaced, parse_selector
from ..grading.manifests import parse_manifests
from ..grading.paths import PathError, parse_path

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_KEYS = {"title", "summary", "order", "lessons", "requires", "time_limit", "hints_after", "setup", "files",
            "steps", "hints", "solution"}  # fmt: skip
# What an author writes on any check: the stored keys minus the `_html` the loader renders.
AUTHORED_CHECK_KEYS = CHECK_COMMON - {f"{key}_html" for key in CHECK_TEXTS}
STEP_KEYS = {"title", "instructions", "checks", "requirements"}
FILE_KINDS = ("dockerfile", "compose", "manifests")
REQUIRES_KEYS = ("scope", "containers", "service_types")
# Service types a namespace sandbox refuses unless the lab lists them (labs/providers/guard.py).
OPT_IN_SERVICE_TYPES = ("NodePort", "LoadBalancer")
SOLUTION_SUBCOMMANDS = {"apply", "create", "set", "scale", "rollout", "label", "annotate", "expose", "patch",
                        "delete", "run", "wait", "autoscale"}  # fmt: skip
FORBIDDEN_FLAGS = ("--kubeconfig", "--server", "-s", "--token", "--as", "--as-group", "--as-uid", "--context",
                   "--cluster", "--user", "--insecure-skip-tls-verify", "--certificate-authority",
                   "--client-certificate", "--client-key", "--username", "--password", "--namespace", "-n",
                   "--all-namespaces", "-A")  # fmt: skip


def render_markdown(text: str) -> str:
    """Lesson renderer (Python-Markdown + Pygments + nh3) so lab text looks like lessons."""
    from courses.rendering.markdown import render_lesson

    return render_lesson(text or "").html


def render_inline(text: str) -> str:
    """Check messages and hints: inline Markdown (`code`, **bold**) only, sanitised."""
    from courses.rendering.markdown import render_inline as render

    return render(text or "")


def known_lessons(content_dir: Path) -> set[str] | None:
    """Every lesson slug listed in content/courses/*/course.yaml (None when there are no courses)."""
    files = sorted((Path(content_dir) / "courses").glob("*/course.yaml"))
    if not files:
        return None
    slugs: set[str] = set()
    for file in files:
        try:
            course = load_one(file.read_text(encoding="utf-8")) or {}
        except (SafeYamlError, OSError):
            continue
        for module in course.get("modules") or []:
            slugs.update(str(s) for s in (module or {}).get("lessons") or [])
    return slugs


def load_lab(lab_dir: Path, lessons: set[str] | None = None):
    """(fields for the Lab row, list of ContentError). Fields are None when there are errors."""
    lab_dir = Path(lab_dir)
    main = lab_dir / "lab.yaml"
    report = Problems(display_path(main))
    slug = lab_dir.name
    if not SLUG.match(slug):
        report.add(1, f"실습 폴더 이름 '{slug}'는 영문 소문자, 숫자, 하이픈만 쓸 수 있습니다.")
    try:
        data = load_one(main.read_bytes(), track_lines=True)
    except SafeYamlError as exc:
        report.add(exc.line, exc.reason)
        return None, report.errors
    except OSError:
        report.add(1, "lab.yaml 파일이 없습니다.")
        return None, report.errors
    if not isinstance(data, dict):
        report.add(1, "lab.yaml은 '키: 값' 형태의 매핑이어야 합니다.")
        return None, report.errors
    for key in data:
        if key not in TOP_KEYS:
            report.add(
                _line(data, key), f"알 수 없는 항목 '{key}'입니다. 가능한 항목: {', '.join(sorted(TOP_KEYS))}"
            )
    definition = _validate(data, lab_dir, report, lessons)
    if report.errors:
        return None, report.errors
    requires = data.get("requires") or {}
    fields = {
        "slug": slug,
        "title": str(data["title"]).strip(),
        "summary": str(data.get("summary") or "").strip(),
        "scope": requires.get("scope", "namespace"),
        "containers": bool(requires.get("containers", False)),
        "time_limit_minutes": int(data.get("time_limit", 60)),
        "order": int(data.get("order", 0)),
        "definition": definition,
    }
    return fields, report.errors


def _str(report, data, key, required=True):
    value = data.get(key)
    if value is None:
        if required:
            report.add(_line(data), f"'{key}' 항목이 필요합니다.")
        return ""
    if not isinstance(value, str) or not value.strip():
        report.add(_line(data, key), f"'{key}'는 비어 있지 않은 문자열이어야 합니다.")
        return ""
    return value


def _int(report, data, key, default, low, high):
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        report.add(_line(data, key), f"'{key}'는 {low}~{high} 사이의 정수여야 합니다.")
        return default
    return value


def _validate(data, lab_dir, report, lessons):
    _str(report, data, "title")
    _str(report, data, "summary", required=False)
    _int(report, data, "order", 0, 0, 10_000)
    _int(report, data, "time_limit", 60, 5, 480)
    hints_after = _int(report, data, "hints_after", DEFAULT_HINTS_AFTER, 0, 100)
    requires = data.get("requires") or {}
    if not isinstance(requires, dict):
        report.add(
            _line(data, "requires"), "'requires'는 매핑이어야 합니다 (scope, containers, service_types)."
        )
        requires = {}
    scope = requires.get("scope", "namespace")
    if scope not in ("namespace", "cluster", "none"):
        report.add(
            _line(requires, "scope"), f"scope '{scope}'는 namespace, cluster, none 중 하나여야 합니다."
        )
    if not isinstance(requires.get("containers", False), bool):
        report.add(_line(requires, "containers"), "'containers'는 true 또는 false여야 합니다.")
    for key in requires:
        if key not in REQUIRES_KEYS:
            report.add(
                _line(requires, key),
                f"'requires'에 알 수 없는 항목 '{key}'입니다. 가능한 항목: {', '.join(REQUIRES_KEYS)}",
            )
    service_types = _service_types(report, requires, scope)

    lesson_slugs = data.get("lessons") or []
    if not isinstance(lesson_slugs, list) or not all(isinstance(s, str) for s in lesson_slugs):
        report.add(_line(data, "lessons"), "'lessons'는 레슨 슬러그 목록이어야 합니다.")
        lesson_slugs = []
    for s in lesson_slugs:
        if lessons is not None and s not in lessons:
            report.add(
                _line(data, "lessons"),
                f"레슨 '{s}'를 찾을 수 없습니다 (content/courses의 course.yaml에 없는 슬러그).",
            )

    setup = []
    if data.get("setup") is not None:
        setup = _manifest_file(report, data, "setup", lab_dir, scope)
    files = _files(report, data, scope, lab_dir)
    steps = _steps(report, data, scope)
    _requirement_checks(report, data, steps)
    hints = data.get("hints") or []
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        report.add(_line(data, "hints"), "'hints'는 문자열(마크다운) 목록이어야 합니다.")
        hints = []
    solution = _solution(report, data, scope, lab_dir, files)
    from .cases import load_cases

    cases = load_cases(report, lab_dir, scope, files, {c["id"] for s in steps for c in s["checks"]})
    if report.errors:
        return None
    return {
        "lessons": list(lesson_slugs),
        "hints_after": hints_after,
        "setup": setup,
        "files": files,
        "steps": steps,
        "hints": [{"text": h, "html": render_markdown(h)} for h in hints],
        "solution": solution,
        "cases": cases,
        "service_types": service_types,
    }


def _service_types(report, requires, scope) -> list[str]:
    """`requires: {service_types: [NodePort]}`: the Service types beyond ClusterIP this lab's
    namespace sandboxes accept (the admission policy refuses them everywhere else)."""
    value = requires.get("service_types")
    if value is None:
        return []
    where = _line(requires, "service_types")
    if not isinstance(value, list) or not all(v in OPT_IN_SERVICE_TYPES for v in value):
        report.add(where, "'service_types'는 NodePort, LoadBalancer 중에서 고른 목록이어야 합니다.")
        return []
    if value and scope != "namespace":
        # A dedicated cluster is the student's alone: every type is already allowed there.
        report.add(where, "'service_types'는 네임스페이스 실습(scope: namespace)에서만 씁니다.")
        return []
    return sorted(set(value))


def _manifest_file(report, data, key, lab_dir, scope, holder=None):
    holder = holder if holder is not None else data
    name = holder.get(key)
    if not isinstance(name, str) or "/" in name or name.startswith("."):
        report.add(_line(holder, key), f"'{key}'는 실습 폴더 안의 파일 이름이어야 합니다.")
        return []
    path = lab_dir / name
    if not path.is_file():
        report.add(_line(holder, key), f"파일 '{name}'이(가) 없습니다.")
        return []
    try:
        manifests = parse_manifests(path.read_bytes())
    except SafeYamlError as exc:
        report.add(exc.line, exc.reason, path=display_path(path))
        return []
    for i, m in enumerate(manifests, start=1):
        if scope == "namespace" and (m.get("metadata") or {}).get("namespace"):
            report.add(
                1,
                f"문서 {i}: 네임스페이스 실습의 매니페스트에는 metadata.namespace를 쓰지 않습니다.",
                path=display_path(path),
            )
    return [dict(m) for m in manifests]


def _files(report, data, scope, lab_dir):
    files = data.get("files")
    if scope != "none":
        if files:
            report.add(_line(data, "files"), "'files'는 파일 제출 실습(scope: none)에서만 씁니다.")
        return []
    if not isinstance(files, list) or not files:
        report.add(_line(data), "파일 제출 실습에는 'files' 목록(name, kind)이 필요합니다.")
        return []
    result, names = [], set()
    for item in files:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            report.add(_line(files), "'files'의 각 항목에는 name이 필요합니다.")
            continue
        if item.get("kind") not in FILE_KINDS:
            report.add(_line(item, "kind"), f"파일 종류는 {', '.join(FILE_KINDS)} 중 하나여야 합니다.")
        if item["name"] in names:
            report.add(_line(item, "name"), f"파일 이름 '{item['name']}'이(가) 중복되었습니다.")
        names.add(item["name"])
        starter = item.get("starter", "")
        if not isinstance(starter, str):
            report.add(_line(item, "starter"), "'starter'는 문자열이어야 합니다.")
            starter = ""
        result.append({"name": item["name"], "kind": item.get("kind"), "starter": starter})
    return result


def _steps(report, data, scope):
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        report.add(_line(data, "steps"), "'steps'에 단계가 하나 이상 있어야 합니다.")
        return []
    result, ids = [], set()
    for step in steps:
        if not isinstance(step, dict):
            report.add(_line(steps), "각 단계는 title, instructions, checks를 가진 매핑이어야 합니다.")
            continue
        title = _str(report, step, "title")
        text = _str(report, step, "instructions")
        checks = step.get("checks") or []
        if not isinstance(checks, list):
            report.add(_line(step, "checks"), "'checks'는 목록이어야 합니다.")
            checks = []
        result.append(
            {
                "title": title,
                "instructions": text,
                "instructions_html": render_markdown(text),
                "checks": [c for c in (_check(report, c, scope, ids) for c in checks) if c],
                "requirements": _requirements(report, step, text),
            }
        )
    if not any(s["checks"] for s in result):
        report.add(_line(data, "steps"), "검사(checks)가 하나도 없습니다.")
    return result


_CODE = re.compile(r"`([^`]+)`")


def _requirements(report, step, instructions):
    """A step's requirements: [{text, checks}]. Each says one thing the student must do, in
    the step's own words: every `code` value of the requirement appears in the instructions."""
    items = step.get("requirements")
    if items is None:
        return []
    if not isinstance(items, list):
        report.add(_line(step, "requirements"), "'requirements'는 {text, checks} 항목의 목록이어야 합니다.")
        return []
    result = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            report.add(_line(step, "requirements"), "요구 사항마다 비어 있지 않은 text가 필요합니다.")
            continue
        checks = item.get("checks", [])
        if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
            report.add(_line(item, "checks"), "요구 사항의 checks는 검사 id 목록이어야 합니다.")
            checks = []
        for value in _CODE.findall(item["text"]):
            if value not in (instructions or ""):
                report.add(
                    _line(item, "text"),
                    f"요구 사항의 `{value}`가 이 단계의 설명(instructions)에 없습니다. 요구 사항은 설명에 적힌"
                    " 것이어야 합니다.",
                )
        result.append({"text": item["text"].strip(), "checks": list(checks), "line": _line(item)})
    return result


def _requirement_checks(report, data, steps):
    ids = {c["id"] for s in steps for c in s["checks"]}
    for step in steps:
        for req in step["requirements"]:
            for cid in req["checks"]:
                if cid not in ids:
                    report.add(req["line"], f"요구 사항 '{req['text']}'가 없는 검사 '{cid}'를 가리킵니다.")


def _check(report, check, scope, ids):
    if not isinstance(check, dict):
        report.add(1, "각 검사는 매핑이어야 합니다.")
        return None
    line = _line(check)
    cid = check.get("id")
    if not isinstance(cid, str) or not SLUG.match(cid):
        report.add(line, "검사 id가 없거나 형식이 틀렸습니다 (영문 소문자, 숫자, 하이픈).")
    elif cid in ids:
        report.add(_line(check, "id"), f"검사 id '{cid}'가 중복되었습니다.")
    ids.add(cid)
    kind = CHECK_TYPES.get(check.get("type"))
    if kind is None:
        report.add(_line(check, "type"), f"알 수 없는 검사 종류 '{check.get('type')}'입니다.")
        return None
    _str(report, check, "title")
    points = check.get("points")
    if points is None:
        report.add(line, f"검사 '{cid}'에 점수(points)가 없습니다.")
    elif not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 1000:
        report.add(_line(check, "points"), "points는 1~1000 사이의 정수여야 합니다.")
    for key in CHECK_TEXTS:
        if key in check and not isinstance(check[key], str):
            report.add(_line(check, key), f"'{key}'는 문자열이어야 합니다.")
    wanted = "files" if scope == "none" else "live"
    if wanted not in kind.sources:
        where = "파일 제출 실습" if scope == "none" else "클러스터 실습"
        report.add(_line(check, "type"), f"검사 종류 '{kind.name}'는 {where}에서 쓸 수 없습니다.")
    params = {**kind.required, **kind.optional}
    for key in check:
        if key not in AUTHORED_CHECK_KEYS and key not in params:
            report.add(
                _line(check, key),
                f"검사 종류 '{kind.name}'에 없는 항목 '{key}'입니다. 가능한 항목: {', '.join(params)}",
            )
    for key in kind.required:
        if key not in check:
            report.add(line, f"검사 '{cid}'({kind.name})에 '{key}' 항목이 필요합니다.")
    for key, ptype in params.items():
        if key == "namespace" and key in check and scope == "namespace":
            report.add(
                _line(check, key),
                "네임스페이스 실습의 검사는 세션 네임스페이스만 읽으므로 namespace를 쓰지 않습니다.",
            )
        elif key in check:
            message = _param_error(ptype, check[key], scope)
            if message:
                report.add(_line(check, key), f"'{key}': {message}")
    if kind.validate:
        for key, message in kind.validate(check):
            report.add(_line(check, key), message)
    result = {k: plain(v) for k, v in check.items()}
    for key in CHECK_TEXTS:
        if isinstance(result.get(key), str):
            result[f"{key}_html"] = render_inline(result[key])
    return result


def _param_error(ptype, value, scope):
    assert ptype in PARAM_TYPES, ptype
    if ptype in ("str", "op", "regex") and not isinstance(value, str):
        return "문자열이어야 합니다."
    if ptype == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            return f"정규식이 잘못되었습니다: {exc}"
    if ptype == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        return "정수여야 합니다."
    if ptype == "bool" and not isinstance(value, bool):
        return "true 또는 false여야 합니다."
    if ptype == "kind":
        if value not in KINDS:
            return f"알 수 없는 종류 '{value}'입니다."
        if scope == "namespace" and not is_namespaced(value):
            return f"'{value}'는 클러스터 범위 오브젝트라 네임스페이스 실습에서 검사할 수 없습니다."
    if ptype == "path":
        try:
            parse_path(value)
        except PathError as exc:
            return str(exc)
    if ptype == "selector":
        try:
            parse_selector(value)
        except ValueError as exc:
            return str(exc)
    if ptype == "strlist" and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        return "문자열 목록이어야 합니다."
    if ptype == "dict" and not isinstance(value, dict):
        return "매핑이어야 합니다."
    return None


def empty_solution() -> dict:
    """The stored shape of a solution, every field at its default (a fresh dict each call)."""
    return {
        "manifests": [],
        "manifests_text": "",
        "commands": [],
        "files": {},
        "explanation": "",
        "explanation_html": "",
    }


def _solution(report, data, scope, lab_dir, files):
    sol = data.get("solution")
    if not isinstance(sol, dict):
        report.add(_line(data), "모든 실습에는 참고 답안 'solution'이 필요합니다.")
        return {}
    result = empty_solution()
    if sol.get("manifests") is not None:
        result["manifests"] = _manifest_file(report, data, "manifests", lab_dir, scope, holder=sol)
        if result["manifests"]:
            result["manifests_text"] = (lab_dir / sol["manifests"]).read_text(encoding="utf-8")
    for command in sol.get("commands") or []:
        problem = command_problem(command, scope)
        if problem:
            report.add(_line(sol, "commands"), problem)
        else:
            result["commands"].append(list(command))
    if scope == "none":
        given = sol.get("files") or {}
        for spec in files:
            name = given.get(spec["name"]) if isinstance(given, dict) else None
            path = lab_dir / name if isinstance(name, str) and "/" not in name else None
            if path is None or not path.is_file():
                report.add(
                    _line(sol, "files"),
                    f"제출 파일 '{spec['name']}'의 답안 파일이 solution.files에 없습니다.",
                )
            else:
                result["files"][spec["name"]] = path.read_text(encoding="utf-8")
    elif not result["manifests"] and not result["commands"]:
        report.add(_line(sol), "참고 답안에는 manifests 또는 commands가 있어야 합니다.")
    if sol.get("explanation"):
        result["explanation"] = str(sol["explanation"])
        result["explanation_html"] = render_markdown(result["explanation"])
    return result


def command_problem(command, scope: str = "namespace") -> str | None:
    """Reference-solution commands are kubectl argument lists; the self-test runs them.
    A cluster-scope lab may name namespaces (-n team-blue): the whole cluster is the sandbox."""
    if not isinstance(command, list) or not command or not all(isinstance(a, str) for a in command):
        return "답안 명령은 [kubectl, 인자, ...] 형태의 문자열 목록이어야 합니다."
    if command[0] != "kubectl" or len(command) < 2:
        return f"답안 명령은 kubectl로 시작해야 합니다: {' '.join(command)}"
    if command[1] not in SOLUTION_SUBCOMMANDS:
        return f"답안 명령에 쓸 수 없는 하위 명령 '{command[1]}'입니다."
    for arg in command[1:]:
        flag = arg.split("=", 1)[0]
        if scope == "cluster" and flag in ("--namespace", "-n"):
            continue
        if flag in FORBIDDEN_FLAGS:
            return f"답안 명령에 쓸 수 없는 옵션 '{flag}'입니다 (실행할 때 세션 설정을 씁니다)."
    return None
