"""Dockerfile checks: pinned base image, non-root user, EXPOSE, exec-form CMD, any instruction."""

import re

from ..dockerfile import image_is_pinned
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
    optional={**OPT, "image": "regex"},
    sources=FILES,
    description="모든 FROM 이미지가 태그(latest 제외)나 다이제스트로 고정됨; image로 최종 베이스 정규식",
)
def base_pinned(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    aliases = {s.alias for s in df.stages if s.alias}
    for stage in df.stages:
        ok, why = image_is_pinned(stage.base, aliases)
        if not ok:
            return Outcome(
                False, f"{stage.line}번째 줄 FROM", "latest가 아닌 태그나 다이제스트", f"{stage.base} ({why})"
            )
    if spec.get("image") and not re.search(spec["image"], df.final.base):
        return Outcome(False, "최종 베이스 이미지", f"/{spec['image']}/ 형식", df.final.base)
    return Outcome(True, "FROM", "", df.final.base)


ROOT_USERS = {"root", "0", "root:root", "0:0", "root:0", "0:root"}


@check_type(
    "dockerfile_user", optional=OPT, sources=FILES, description="마지막 단계가 root가 아닌 USER로 실행"
)
def user(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    last = df.final.last("USER")
    if last is None:
        return Outcome(False, "USER", "root가 아닌 사용자", "USER 없음 (root로 실행됨)")
    if last.args.strip() in ROOT_USERS:
        return Outcome(False, f"{last.line}번째 줄 USER", "root가 아닌 사용자", last.args)
    return Outcome(True, "USER", "", last.args)


@check_type(
    "dockerfile_expose",
    required={"port": "int"},
    optional=OPT,
    sources=FILES,
    description="EXPOSE로 포트 공개",
)
def expose(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    ports = []
    for ins in df.final.all("EXPOSE"):
        ports += [p.split("/")[0] for p in ins.args.split()]
    ok = str(spec["port"]) in ports
    return Outcome(ok, "EXPOSE", str(spec["port"]), ", ".join(ports) or "EXPOSE 없음")


@check_type(
    "dockerfile_exec_form",
    optional={**OPT, "instruction": "str"},
    sources=FILES,
    description="CMD/ENTRYPOINT가 exec 형식(JSON 배열)",
)
def exec_form(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    keywords = [spec["instruction"].upper()] if spec.get("instruction") else ["CMD", "ENTRYPOINT"]
    present = [df.final.last(k) for k in keywords if df.final.last(k)]
    if not present:
        return Outcome(False, " 또는 ".join(keywords), 'exec 형식 (예: ["python", "app.py"])', "없음")
    for ins in present:
        if ins.exec_form is None:
            return Outcome(False, f"{ins.line}번째 줄 {ins.keyword}", "exec 형식 (JSON 배열)", ins.args)
    return Outcome(True, present[-1].keyword, "", present[-1].args)


@check_type(
    "dockerfile_instruction",
    required={"instruction": "str"},
    optional={**OPT, "regex": "regex", "absent": "bool"},
    sources=FILES,
    description="마지막 단계에 명령(예: WORKDIR)이 있음/없음, 인자 정규식",
)
def instruction(spec, source):
    df, failed = _stage(spec, source)
    if failed:
        return failed
    keyword = spec["instruction"].upper()
    found = df.final.all(keyword)
    if spec.get("regex"):
        found = [i for i in found if re.search(spec["regex"], i.args)]
    what = keyword + (f" /{spec['regex']}/" if spec.get("regex") else "")
    if spec.get("absent"):
        return Outcome(
            not found, what, "없음", f"{found[0].line}번째 줄: {found[0].args}" if found else "없음"
        )
    return Outcome(bool(found), what, "있음", found[-1].args if found else "없음")
