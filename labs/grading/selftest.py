"""Lab self-test: the reference solution scores 100%, an untouched sandbox does not, every
alternative correct case (cases/*.yaml, expect: pass) scores 100% and every known-wrong
case fails exactly the checks it names, with the text the student must see.

Cluster labs get a real sandbox from the providers for each run (namespace: a fresh
namespace with the student's RBAC, quota and LimitRange; cluster scope: a dedicated kwok
cluster), exactly what a student gets, with the lab's setup applied with the student's
rights. Manifests are applied and commands run as kubectl argument lists with the
sandbox's own kubeconfig (never a shell). File labs grade the files directly.
"""

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from labs.spec import Case, LabDefinition

from .engine import grade
from .results import CheckResult, GradeReport
from .rollouts import rollouts_done
from .sandboxes import run_commands, sandbox_for
from .sources import FileSource, LiveSource


@dataclass
class CaseResult:
    name: str
    expect: str  # pass | fail (a refused case counts as a wrong one)
    verdict: str  # ok | false_pass | false_fail | wrong_message | error
    note: str = ""
    seconds: float = 0.0  # measured where cases run side by side (selftest_containers)


@dataclass
class SelftestResult:
    slug: str
    solution_score: int = 0
    untouched_score: int = 0
    max_score: int = 0
    untouched_failing: list[str] = field(default_factory=list)
    solution_failing: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    cases: list[CaseResult] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)  # requirements without checks, ...

    def count(self, expect: str, verdict: str | None = None) -> int:
        return sum(1 for c in self.cases if c.expect == expect and (verdict is None or c.verdict == verdict))

    @property
    def false_passes(self) -> int:
        return self.count("fail", "false_pass")

    @property
    def false_fails(self) -> int:
        return self.count("pass", "false_fail")

    @property
    def ok(self) -> bool:
        return (
            not self.error
            and self.max_score > 0
            and self.solution_score == self.max_score
            and self.untouched_score < self.max_score
            and all(c.verdict == "ok" for c in self.cases)
            and not self.coverage
        )

    def counts(self) -> str:
        return (
            f"맞는 사례 {self.count('pass')}개 중 잘못 실패 {self.false_fails}개, "
            f"틀린 사례 {self.count('fail')}개 중 잘못 통과 {self.false_passes}개"
            + (
                f", 문구 불일치 {sum(1 for c in self.cases if c.verdict == 'wrong_message')}개"
                if any(c.verdict == "wrong_message" for c in self.cases)
                else ""
            )
        )

    def summary(self) -> str:
        if self.error:
            return f"{self.slug}: 실패 — {self.error}"
        state = "통과" if self.ok else "실패"
        text = (
            f"{self.slug}: {state} — 정답 {self.solution_score}/{self.max_score}, "
            f"초기 상태 {self.untouched_score}/{self.max_score} "
            f"(초기 상태에서 실패한 검사: {', '.join(self.untouched_failing) or '없음'}) · {self.seconds:.1f}초"
        )
        if self.cases:
            text += f"\n  사례: {self.counts()}"
            slowest = max(self.cases, key=lambda c: c.seconds)
            if slowest.seconds:
                text += f" · 가장 오래 걸린 사례 {slowest.name} {slowest.seconds:.1f}초"
        if self.solution_failing:
            text += f"\n  정답으로도 실패한 검사: {', '.join(self.solution_failing)}"
        for line in self.details:
            text += f"\n  {line}"
        for line in self.coverage:
            text += f"\n  요구 사항: {line}"
        for case in self.cases:
            if case.verdict != "ok":
                text += f"\n  사례 {case.name} ({case.expect}): {VERDICTS[case.verdict]} — {case.note}"
        return text


VERDICTS = {
    "ok": "기대대로",
    "false_pass": "잘못 통과",
    "false_fail": "잘못 실패",
    "wrong_message": "학생이 보는 문구가 다름",
    "error": "실행 오류",
}


def _why(result: CheckResult) -> str:
    return f"{result.id}: {result.detail or result.message}"


def judge(case: Case, report: GradeReport) -> CaseResult:
    """Compare a case's grading report with what the case expects."""
    results = report.by_id()
    failing = report.failing
    if case.expect == "pass":
        if not failing:
            return CaseResult(case.name, "pass", "ok")
        return CaseResult(case.name, "pass", "false_fail", "; ".join(_why(results[cid]) for cid in failing))
    wanted = case.fails
    if not wanted:  # written without the lab's check ids: any failing check catches it
        if failing:
            return CaseResult(case.name, "fail", "ok")
        return CaseResult(case.name, "fail", "false_pass", "모든 검사를 통과했습니다.")
    passed_wrongly = [cid for cid in wanted if cid in results and results[cid].passed]
    if passed_wrongly or not failing:
        return CaseResult(
            case.name, "fail", "false_pass", f"통과해 버린 검사: {', '.join(passed_wrongly) or '전부'}"
        )
    extra = [cid for cid in failing if cid not in wanted]
    if extra:
        why = "; ".join(_why(results[cid]) for cid in extra)
        return CaseResult(case.name, "fail", "false_fail", f"실패하지 않아야 할 검사가 실패: {why}")
    for cid, text in wanted.items():
        seen = student_text(results[cid])
        if text is not None and text not in seen:
            return CaseResult(
                case.name, "fail", "wrong_message", f"{cid}: 기대한 문구 '{text}', 실제 '{seen}'"
            )
    return CaseResult(case.name, "fail", "ok")


def student_text(result: CheckResult) -> str:
    """What the result panel shows for a check: its message and the expected/found line."""
    return " ".join(p for p in (result.message, result.detail) if p)


def run_selftest(lab, timeout: float = 90, cases: bool | Sequence[Case] = True) -> SelftestResult:
    """`cases`: the lab's own cases/ (True), none (False), or cases kept elsewhere."""
    spec = lab.spec
    todo = list(spec.cases if cases is True else cases or ())
    result = SelftestResult(lab.slug, max_score=spec.max_score)
    result.coverage = spec.coverage_problems()
    started = time.monotonic()
    try:
        if lab.scope == "none":
            _files_selftest(spec, result, todo)
        elif lab.containers:
            from . import selftest_containers

            selftest_containers.run(lab, result, timeout, todo)
        else:
            with _clusters_made_ahead(lab):
                _live_selftest(lab, result, timeout)
                result.cases.extend(_live_cases(lab, todo, timeout))
    except Exception as exc:  # reported per lab; one broken lab must not hide the others
        result.error = f"{type(exc).__name__}: {exc}"
    result.seconds = time.monotonic() - started
    return result


@contextlib.contextmanager
def _clusters_made_ahead(lab):
    """A cluster-scope lab judges every case on a fresh kwok cluster, one case at a time.
    While a case runs (mostly waiting for the cluster to settle), a background thread starts
    the next cluster through the kwok provider's own warm pool, so the next case takes a
    ready one instead of waiting for a cold start. Leftover pool clusters are removed."""
    if lab.scope != "cluster" or lab.containers:
        yield
        return
    import threading

    from labs.providers import kwok

    done = threading.Event()

    def refill() -> None:
        while not done.is_set():
            with contextlib.suppress(Exception):  # a failed start: the case starts cold
                kwok.refill_pool(size=1)
            done.wait(0.2)

    maker = threading.Thread(target=refill, name="selftest-kwok-pool", daemon=True)
    maker.start()
    try:
        yield
    finally:
        done.set()
        maker.join()
        for name in kwok.free_pool():
            kwok.remove_cluster(name)


def _record(result: SelftestResult, report: GradeReport, prefix: str) -> None:
    if prefix == "untouched":
        result.untouched_score, result.untouched_failing = report.score, report.failing
    else:
        result.solution_score, result.solution_failing = report.score, report.failing
        result.details = [_why(r) for r in report.results if not r.passed]


def _files_selftest(spec: LabDefinition, result: SelftestResult, cases: Sequence[Case]) -> None:
    files = spec.files
    for case in cases:
        try:
            report = grade(spec, FileSource(case.files, files))
        except Exception as exc:  # a case file the submission form would refuse
            result.cases.append(CaseResult(case.name, case.expect, "error", f"{type(exc).__name__}: {exc}"))
            continue
        result.cases.append(judge(case, report))
    _record(result, grade(spec, FileSource({f.name: f.starter for f in files}, files)), "untouched")
    _record(result, grade(spec, FileSource(spec.solution.files, files)), "solution")


def _settled(
    spec: LabDefinition,
    api,
    namespace,
    *,
    until_perfect=False,
    timeout=30.0,
    quiet=1.5,
    real_containers=False,
) -> GradeReport:
    """Grade repeatedly: until full marks (solution), or until the score stops moving (untouched)."""
    deadline = time.monotonic() + timeout
    last, stable_since = None, time.monotonic()
    while True:
        report = grade(spec, LiveSource(api, namespace, real_containers=real_containers))
        if until_perfect and report.perfect:
            return report
        key = [r.passed for r in report.results]
        if key != last:
            last, stable_since = key, time.monotonic()
        elif not until_perfect and time.monotonic() - stable_since >= quiet:
            return report
        if time.monotonic() > deadline:
            return report
        time.sleep(0.3)


def _live_selftest(lab, result, timeout):
    with sandbox_for(lab) as box:
        judge_solution(lab, result, box, timeout)


def judge_solution(lab, result, box, timeout) -> float | None:
    """Grade the untouched sandbox, apply the reference solution, grade until full marks.
    Returns the seconds the solution took to reach them (None if it never did)."""
    from labs.cluster.apply import apply_manifests

    spec = lab.spec
    solution = spec.solution
    api, kubeconfig, namespace, real = box
    _record(result, _settled(spec, api, namespace, timeout=10, real_containers=real), "untouched")
    started = time.monotonic()
    if solution.manifests:
        apply_manifests(api, list(solution.manifests), namespace=namespace)
    # A `kubectl wait` in an answer may wait as long as the grading would.
    run_commands(solution.commands, kubeconfig, namespace, timeout=max(90, timeout), scope=lab.scope)
    report = _settled(spec, api, namespace, until_perfect=True, timeout=timeout, real_containers=real)
    _record(result, report, "solution")
    return time.monotonic() - started if report.perfect else None


def _with_namespace(value, namespace: str):
    """`{{namespace}}` in a case stands for the sandbox's namespace (unknown when written)."""
    if isinstance(value, dict):
        return {k: _with_namespace(v, namespace) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_namespace(v, namespace) for v in value]
    if isinstance(value, str):
        return value.replace("{{namespace}}", namespace)
    return value


# Namespace sandboxes are cheap and independent: cases run side by side, each in its own
# fresh namespace (created and destroyed on this thread, since they are database rows).
# A kwok cluster per case costs a control plane each, so those cases run one at a time.
PARALLEL_CASES = 4


def _for_namespace(case: Case, namespace: str) -> Case:
    return replace(
        case,
        fails={cid: _with_namespace(text, namespace) for cid, text in case.fails.items()},
        refused=_with_namespace(case.refused, namespace),
        manifests=tuple(_with_namespace(list(case.manifests), namespace)),
        commands=tuple(tuple(_with_namespace(list(c), namespace)) for c in case.commands),
    )


def _live_cases(lab, cases: Sequence[Case], timeout) -> list[CaseResult]:
    if lab.scope != "namespace" or len(cases) < 2:
        return [_live_case(lab, case, timeout) for case in cases]
    from concurrent.futures import ThreadPoolExecutor

    results: list[CaseResult] = []
    for start in range(0, len(cases), PARALLEL_CASES):
        batch = cases[start : start + PARALLEL_CASES]
        with contextlib.ExitStack() as stack:
            sandboxes = []
            for slot in range(len(batch)):
                try:
                    sandboxes.append(stack.enter_context(sandbox_for(lab, slot)))
                except Exception as exc:  # reported for that case; the others still run
                    sandboxes.append(exc)
            with ThreadPoolExecutor(max_workers=len(batch)) as pool:
                futures = [
                    pool.submit(_run_case, lab, case, box, timeout)
                    if not isinstance(box, Exception)
                    else None
                    for case, box in zip(batch, sandboxes, strict=True)
                ]
                for case, box, future in zip(batch, sandboxes, futures, strict=True):
                    if future is None:
                        results.append(
                            CaseResult(case.name, case.expect, "error", f"{type(box).__name__}: {box}")
                        )
                    else:
                        results.append(future.result())
    return results


def _live_case(lab, case: Case, timeout) -> CaseResult:
    try:
        with sandbox_for(lab) as box:
            return _run_case(lab, case, box, timeout)
    except Exception as exc:  # one broken case is reported, not fatal to the others
        return CaseResult(case.name, case.expect, "error", f"{type(exc).__name__}: {str(exc)[:300]}")


def _refused_case(case: Case, api, kubeconfig, namespace, scope) -> CaseResult:
    """A wrong answer the API server must refuse: applying it has to fail with the named
    refusal. If the sandbox lets it through, that is a false pass (nothing else stops it)."""
    from labs.cluster.apply import apply_manifests

    try:
        if case.manifests:
            apply_manifests(api, list(case.manifests), namespace=namespace)
        run_commands(case.commands, kubeconfig, namespace, scope=scope)
    except Exception as exc:
        if case.refused in str(exc):
            return CaseResult(case.name, "fail", "ok")
        return CaseResult(case.name, "fail", "error", f"다른 이유로 거부됨: {str(exc)[:300]}")
    return CaseResult(case.name, "fail", "false_pass", "API 서버가 거부해야 할 답을 받아들였습니다.")


# What kubectl prints when the API server turns a command down (RBAC, admission policy,
# validation); a typo in a case's own command (an object that is not there) is not one.
REFUSALS = ("forbidden", "denied", "is invalid", "invalid value")


def refusal(exc: Exception) -> bool:
    """The sandbox refused the answer: any manifest the API server would not take (the
    student sees the same refusal in the editor), or a command it turned down."""
    from labs.cluster.apply import ApplyError

    return isinstance(exc, ApplyError) or any(word in str(exc).lower() for word in REFUSALS)


def _run_case(lab, case: Case, box, timeout, quiet=1.5, reference=None) -> CaseResult:
    """One case on its fresh sandbox. A correct case must reach full marks; a wrong one is
    watched until every check it does not name passes, then for `quiet` seconds more, so
    a named check that would pass a moment later is still caught. With a `reference`
    (selftest_containers.Reference), a wrong case is also watched for at least as long as
    the reference solution took to reach full marks."""
    from labs.cluster.apply import apply_manifests

    spec = lab.spec
    api, kubeconfig, namespace, real = box
    started = time.monotonic()
    try:
        case = _for_namespace(case, namespace or "default")
        if case.expect == "refused":
            return _refused_case(case, api, kubeconfig, namespace, lab.scope)
        try:
            if case.manifests:
                apply_manifests(api, list(case.manifests), namespace=namespace)
            run_commands(case.commands, kubeconfig, namespace, timeout=max(90, timeout), scope=lab.scope)
        except Exception as exc:
            if case.expect == "fail" and not case.fails and refusal(exc):
                # A wrong answer written without the lab's checks that the sandbox refuses:
                # the student gets the refusal and cannot hand the mistake in.
                return CaseResult(case.name, "fail", "ok", f"샌드박스가 거부함: {str(exc)[:200]}")
            raise
        if case.expect == "pass":
            report = _settled(
                spec,
                api,
                namespace,
                until_perfect=True,
                timeout=timeout,
                real_containers=real,
            )
            return judge(case, report)
        named = set(case.fails)
        if not named:  # no check named to watch: give a slow-settling wrong answer longer
            quiet = max(quiet, 5.0)
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while True:
            report = grade(spec, LiveSource(api, namespace, real_containers=real))
            verdict = judge(case, report)
            if verdict.verdict == "false_pass":
                return verdict
            # Settled: every other check passes and nothing the student would read has
            # changed for `quiet` seconds (a rollout still moving is not an answer yet).
            key = [(r.id, r.passed, r.detail) for r in report.results]
            if key != last:
                last, since = key, time.monotonic()
            others_pass = not named or all(r.passed for r in report.results if r.id not in named)
            long_enough = reference is None or reference.reached(time.monotonic() - started)
            if (
                others_pass
                and long_enough
                and time.monotonic() - since >= quiet
                and rollouts_done(api, namespace)
            ):
                return verdict
            if time.monotonic() > deadline:
                return verdict
            # Real containers change on kubelet's clock (seconds): asking twice as often
            # would only load the machine.
            time.sleep(0.5 if reference is None else 1.0)
    except Exception as exc:  # one broken case is reported, not fatal to the others
        return CaseResult(case.name, case.expect, "error", f"{type(exc).__name__}: {str(exc)[:300]}")
