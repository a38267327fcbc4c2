"""Self-test cases: content/labs/<slug>/cases/*.yaml, alternative correct solutions and
known-wrong ones, each graded by the real engine in `lab_selftest`.

    title: kubectl run으로 만든 파드          # what this case tries
    expect: pass                             # pass: must score full marks
    manifests: |                             # live labs: applied like the solution (optional)
      apiVersion: v1
      ...
    commands:                                # live labs: kubectl argument lists, run after manifests
      - [kubectl, run, hello, --image=kubaeum/web:1.0]
    files:                                   # file labs: submitted file name → content
      Dockerfile: |
        FROM python:3.13-slim

    expect: fail                             # fail: every check listed in `fails` must fail,
    fails:                                   # all other checks must pass, and the student must
      image: "이미지: 기대한 값 kubaeum/web:1.0, 실제 값 kubaeum/web:1.1"   # see this text
      ready: null                            # (null: fails, text not asserted)
"""

from kubaeum.safe_yaml import SafeYamlError, line_of, load_one, plain

from ..grading.manifests import parse_manifests
from .lab_format import command_problem

CASE_KEYS = {"title", "expect", "manifests", "commands", "files", "fails", "refused"}


def load_cases(
    report, lab_dir, scope, files, check_ids: set[str], *, folder=None, fails_required: bool = True
) -> list[dict]:
    """The cases in `folder` (default: the lab's own cases/). Cases written outside the lab
    (`fails_required=False`: someone who has not read the checks) may leave out `fails`:
    then any failing check counts as catching the wrong answer."""
    folder = folder or lab_dir / "cases"
    if not folder.is_dir():
        return []
    from courses.content.errors import display_path

    cases = []
    for path in sorted(folder.glob("*.yaml")):
        where = display_path(path)
        try:
            data = load_one(path.read_bytes(), track_lines=True)
        except SafeYamlError as exc:
            report.add(exc.line, exc.reason, path=where)
            continue
        if not isinstance(data, dict):
            report.add(1, "사례 파일은 '키: 값' 형태의 매핑이어야 합니다.", path=where)
            continue
        case = _case(report, data, where, scope, files, check_ids, fails_required)
        if case:
            case["name"] = path.stem
            cases.append(case)
    return cases


def _case(report, data, where, scope, files, check_ids, fails_required=True):
    def err(holder, key, message):
        report.add(line_of(holder, key), message, path=where)

    for key in data:
        if key not in CASE_KEYS:
            err(data, key, f"알 수 없는 항목 '{key}'입니다. 가능한 항목: {', '.join(sorted(CASE_KEYS))}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        err(data, "title", "사례에는 무엇을 시험하는지 적은 title이 필요합니다.")
    expect = data.get("expect")
    if expect not in ("pass", "fail", "refused"):
        err(data, "expect", "expect는 pass, fail, refused 중 하나여야 합니다.")
    refused = data.get("refused")
    if expect == "refused":
        # A wrong answer the sandbox's own API server refuses (RBAC escalation, admission):
        # the student cannot make that mistake here, and the case proves it stays so.
        if scope == "none":
            err(data, "expect", "expect: refused는 클러스터 실습에서만 씁니다.")
        if not isinstance(refused, str) or not refused.strip():
            err(
                data,
                "refused",
                "expect: refused인 사례에는 API 서버의 거부 메시지 일부(refused)가 필요합니다.",
            )
    elif refused is not None:
        err(data, "refused", "refused는 expect: refused인 사례에서만 씁니다.")
    fails = data.get("fails") or {}
    if expect == "fail":
        if not isinstance(fails, dict) or (fails_required and not fails):
            err(
                data,
                "fails",
                "expect: fail인 사례에는 실패해야 할 검사 id와 학생이 볼 문구(fails)가 필요합니다.",
            )
            fails = {}
        for cid, text in fails.items():
            if cid not in check_ids:
                err(fails, cid, f"fails의 '{cid}'는 이 실습에 없는 검사 id입니다.")
            if text is not None and not (isinstance(text, str) and text.strip()):
                err(fails, cid, "fails의 값은 학생이 볼 문구(문자열) 또는 null이어야 합니다.")
        if fails and all(v is None for v in fails.values()):
            err(data, "fails", "실패해야 할 검사 가운데 적어도 하나는 학생이 볼 문구를 적어야 합니다.")
    elif data.get("fails"):
        err(data, "fails", "fails는 expect: fail인 사례에서만 씁니다.")
    case = {"title": str(title or "").strip(), "expect": expect, "fails": plain(fails)}
    if expect == "refused":
        case["refused"] = str(refused or "")
    if scope == "none":
        given = data.get("files") or {}
        names = {f["name"] for f in files}
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            err(data, "files", "files는 '제출 파일 이름: 내용' 매핑이어야 합니다.")
            given = {}
        for name in given:
            if name not in names:
                err(given, name, f"'{name}'는 이 실습이 받는 파일이 아닙니다 ({', '.join(sorted(names))}).")
        if data.get("manifests") or data.get("commands"):
            err(data, "files", "파일 제출 실습의 사례는 files만 씁니다.")
        case["files"] = dict(given)
        return case
    if data.get("files"):
        err(data, "files", "클러스터 실습의 사례는 manifests와 commands를 씁니다.")
    text = data.get("manifests") or ""
    if not isinstance(text, str):
        err(data, "manifests", "manifests는 YAML 문서(여러 줄 문자열)여야 합니다.")
        text = ""
    manifests = []
    if text.strip():
        try:
            manifests = [dict(m) for m in parse_manifests(text)]
        except SafeYamlError as exc:
            err(data, "manifests", f"manifests: {exc}")
        for m in manifests:
            if scope == "namespace" and (m.get("metadata") or {}).get("namespace"):
                err(
                    data,
                    "manifests",
                    "네임스페이스 실습의 매니페스트에는 metadata.namespace를 쓰지 않습니다.",
                )
    commands = []
    for command in data.get("commands") or []:
        problem = command_problem(command, scope)
        if problem:
            err(data, "commands", problem)
        else:
            commands.append(list(command))
    case.update({"manifests": plain(manifests), "commands": commands})
    return case
