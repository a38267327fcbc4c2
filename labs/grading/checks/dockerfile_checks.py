"""Dockerfile checks, read from the parsed file: the final stage with the stages it builds
on (`FROM build`), ARG defaults substituted, WORKDIR-relative paths resolved."""

import posixpath
import re

from ..dockerfile import (
    command_line,
    copied_from_stages,
    copied_to,
    created_users,
    image_is_pinned,
    stage_values,
    substitute,
    workdir_at,
)
from ..images import parse_image, same_repository
from .registry import Outcome, check_type

FILES = ("files",)
OPT = {"file": "str"}


def _stage(spec, source):
    df = source.dockerfile(spec.get("file"))
    if df is None or df.final is None:
        return None, Outcome(False, "Dockerfile", "FROM으로 시작하는 Dockerfile", "비어 있음")
    return df, None


@check_type(
    "dockerfile_base_pinned",
    optional={**OPT, "image": "regex", "repository": "str"},
    sources=FILES,
    description="모든 FROM 이미지가 태그(latest 제외)나 다이제스트로 고정됨; repository: 최종 베이스 이미지"
    " 저장소 (docker.io/library/python = python)",
)
def base_pinned(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    aliases = {s.alias.lower() for s in df.stages if s.alias}
    for stage in df.stages:
        if stage.parent is not None:
            continue
        ok, why = image_is_pinned(stage.base, aliases)
        if not ok:
            shown = stage.base if stage.base == stage.raw_base else f"{stage.raw_base} → {stage.base}"
            return Outcome(
                False, f"{stage.line}번째 줄 FROM", "latest가 아닌 태그나 다이제스트", f"{shown} ({why})"
            )
    base = df.final.image
    if spec.get("repository") and not same_repository(base, spec["repository"]):
        return Outcome(False, "최종 베이스 이미지", f"{spec['repository']} 이미지", base)
    ref = parse_image(base)
    if spec.get("image") and not (
        re.search(spec["image"], base) or (ref and re.search(spec["image"], str(ref)))
    ):
        return Outcome(False, "최종 베이스 이미지", f"/{spec['image']}/ 형식", base)
    return Outcome(True, "FROM", "", base)


ROOT_USERS = {"root", "0"}
# Users every common base image (Debian, Ubuntu, Alpine, distroless) already has.
BASE_USERS = {"nobody", "daemon", "nonroot"}


@check_type(
    "dockerfile_user",
    optional={**OPT, "must_exist": "bool"},
    sources=FILES,
    description="최종 단계가 root가 아닌 USER로 실행; 이름이면 RUN useradd/adduser로 만든 사용자여야 함"
    " (숫자 UID는 그대로 인정, must_exist: false로 끔)",
)
def user(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    last = df.final.effective_last("USER")
    if last is None:
        return Outcome(False, "USER", "root가 아닌 사용자", "USER 없음 (root로 실행됨)")
    value = substitute(last.args.strip(), stage_values(df.final, last))
    name = value.split(":", 1)[0].strip()
    label = f"{last.line}번째 줄 USER"
    if not name or name in ROOT_USERS:
        return Outcome(False, label, "root가 아닌 사용자", value or "비어 있음")
    if name.isdigit() or not spec.get("must_exist", True):
        return Outcome(True, "USER", "", value)
    made = created_users(df.final)
    if name not in made and name not in BASE_USERS:
        found = f"{name} (Dockerfile에서 만들지 않은 사용자" + (
            f"; 만든 사용자: {', '.join(sorted(made))})" if made else ")"
        )
        return Outcome(False, label, "RUN useradd 등으로 만든 사용자 또는 숫자 UID", found)
    return Outcome(True, "USER", "", value)


def _exposed(df) -> list[str]:
    ports = []
    for ins in df.final.effective("EXPOSE"):
        text = substitute(ins.args, stage_values(df.final, ins))
        for part in text.split():
            port = part.split("/")[0]
            if "-" in port and all(p.isdigit() for p in port.split("-", 1)):
                low, high = (int(p) for p in port.split("-", 1))
                ports += [str(p) for p in range(low, min(high, low + 1000) + 1)]
            else:
                ports.append(port)
    return ports


@check_type(
    "dockerfile_expose",
    required={"port": "int"},
    optional=OPT,
    sources=FILES,
    description="EXPOSE로 포트 공개 (이전 단계에서 이어받은 EXPOSE 포함)",
)
def expose(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    ports = _exposed(df)
    ok = str(spec["port"]) in ports
    return Outcome(ok, "EXPOSE", str(spec["port"]), ", ".join(ports[:20]) or "EXPOSE 없음")


def exec_problem(ins) -> str | None:
    """Why an instruction is not a working exec form, or None."""
    words = ins.exec_form
    if words is None:
        return "exec 형식 (JSON 배열)"
    if not words or not words[0].strip():
        return "비어 있지 않은 JSON 배열"
    if len(words) == 1 and " " in words[0].strip():
        # ["python server.py"] runs a program literally named "python server.py"
        return '프로그램과 인자를 따로 적은 배열 (예: ["python", "server.py"])'
    return None


def _flags(words: list[str]) -> set[str]:
    """Go-style flags as `--name=value`, however written: `-port=8080`, `--port 8080`."""
    found = set()
    for i, word in enumerate(words):
        if not word.startswith("-"):
            continue
        name = "--" + word.lstrip("-")
        found.add(name)
        if "=" not in name and i + 1 < len(words) and not words[i + 1].startswith("-"):
            found.add(f"{name}={words[i + 1]}")
    return found


@check_type(
    "dockerfile_exec_form",
    optional={**OPT, "instruction": "str", "runs": "str", "args": "list"},
    sources=FILES,
    description="CMD/ENTRYPOINT가 제대로 된 exec 형식(JSON 배열, 프로그램과 인자 분리); runs: 실행하는 파일의"
    " 절대 경로 (WORKDIR 기준으로 풀어 비교); args: 넘겨야 할 플래그 (ENTRYPOINT 뒤에 CMD를 이어 붙여 읽고,"
    " --port=8080과 --port 8080은 같음)",
)
def exec_form(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    keywords = [spec["instruction"].upper()] if spec.get("instruction") else ["ENTRYPOINT", "CMD"]
    present = [df.final.effective_last(k) for k in keywords if df.final.effective_last(k)]
    if not present:
        return Outcome(False, " 또는 ".join(keywords), 'exec 형식 (예: ["python", "app.py"])', "없음")
    for ins in present:
        problem = exec_problem(ins)
        if problem:
            return Outcome(False, f"{ins.line}번째 줄 {ins.keyword}", problem, ins.args)
    if spec.get("runs"):
        words = [w for ins in present for w in ins.exec_form]
        base = workdir_at(df.final)
        want = posixpath.normpath(spec["runs"])
        reached = [posixpath.normpath(posixpath.join(base, w)) for w in words if not w.startswith("-")]
        if want not in reached:
            command = " ".join(words)
            return Outcome(False, "실행 명령", f"{want} 실행", f"{command} (WORKDIR {base} 기준)")
    if spec.get("args"):
        words = command_line(df.final) or []
        given = _flags(words[1:])
        missing = [a for a in spec["args"] if not (_flags([str(a)]) & given)]
        if missing:
            return Outcome(
                False, "실행 명령의 인자", " ".join(map(str, spec["args"])), " ".join(words) or "없음"
            )
    return Outcome(True, present[-1].keyword, "", present[-1].args)


@check_type(
    "dockerfile_workdir",
    required={"path": "str"},
    optional=OPT,
    sources=FILES,
    description="최종 작업 폴더(WORKDIR, 상대 경로는 이어서 풀어 계산)가 path",
)
def workdir(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    found = workdir_at(df.final)
    want = posixpath.normpath(spec["path"])
    shown = found if df.final.effective("WORKDIR") else f"{found} (WORKDIR 없음)"
    return Outcome(found == want, "WORKDIR", want, shown)


@check_type(
    "dockerfile_copy",
    required={"src": "str", "dest": "str"},
    optional={**OPT, "from_stage": "bool"},
    sources=FILES,
    description="빌드 컨텍스트의 파일 src가 이미지의 dest에 놓임 (COPY든 로컬 파일 ADD든, 폴더째든; 상대 경로는"
    " WORKDIR 기준); from_stage: src는 앞선 빌드 스테이지가 만든 파일 (COPY --from=<스테이지 이름이나 번호>,"
    " 플래그 순서와 --chown 등은 상관없음)",
)
def copy(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    if spec.get("from_stage"):
        found = copied_from_stages(df, df.final, spec["src"])
    else:
        found = copied_to(df.final, spec["src"])
    places = [posixpath.normpath(p) for p in found]
    want = posixpath.normpath(spec["dest"])
    found = ", ".join(places) or f"{spec['src']}를 복사하지 않음"
    return Outcome(want in places, f"{spec['src']}의 위치", want, found)


@check_type(
    "dockerfile_instruction",
    required={"instruction": "str"},
    optional={**OPT, "regex": "regex", "absent": "bool"},
    sources=FILES,
    description="최종 단계(이어받은 단계 포함)에 명령(예: HEALTHCHECK)이 있음/없음, 인자 정규식",
)
def instruction(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    keyword = spec["instruction"].upper()
    found = df.final.effective(keyword)
    if spec.get("regex"):
        found = [i for i in found if re.search(spec["regex"], i.args)]
    what = keyword + (f" /{spec['regex']}/" if spec.get("regex") else "")
    if spec.get("absent"):
        return Outcome(
            not found, what, "없음", f"{found[0].line}번째 줄: {found[0].args}" if found else "없음"
        )
    return Outcome(bool(found), what, "있음", found[-1].args if found else "없음")
