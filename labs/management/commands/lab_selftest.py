"""python manage.py lab_selftest [slug ...]

For each lab: the reference solution in a fresh sandbox scores 100%, the untouched
sandbox (setup only) scores less, every case in cases/ gets the verdict it expects, and
every requirement has a check. Prints false-pass / false-fail counts. Exit status 1 when
any lab fails.

`--cases-from DIR` grades the cases in DIR/<slug>/*.yaml instead of the lab's own cases/:
answers collected elsewhere, such as cases written by someone who has not read the lab's
checks. Those may leave out `fails`; any failing check then counts as catching the answer.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from labs.grading.selftest import run_selftest
from labs.models import Lab
from labs.spec import Case


class Command(BaseCommand):
    help = "실습마다 참고 답안이 만점을 받고, 손대지 않은 환경은 만점 미만인지 확인합니다."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="검사할 실습 슬러그 (없으면 공개된 모든 실습)")
        parser.add_argument(
            "--timeout", type=float, default=90, help="정답 적용 후 만점을 기다리는 최대 시간(초)"
        )
        parser.add_argument("--no-cases", action="store_true", help="cases/의 사례는 건너뜁니다")
        parser.add_argument(
            "--cases-from",
            type=Path,
            metavar="DIR",
            help="실습 폴더의 cases/ 대신 DIR/<슬러그>/*.yaml의 사례를 채점합니다 (fails는 생략 가능)",
        )

    def handle(self, *args, **options):
        labs = Lab.objects.all() if options["slugs"] else Lab.objects.published()
        if options["slugs"]:
            labs = labs.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(labs.values_list("slug", flat=True))
            if missing:
                raise CommandError(
                    f"실습을 찾을 수 없습니다: {', '.join(sorted(missing))} (먼저 sync_content를 실행하세요)"
                )
        if not labs.exists():
            raise CommandError("검사할 실습이 없습니다. 먼저 'python manage.py sync_content'를 실행하세요.")
        failed, totals = [], {"pass": 0, "fail": 0, "false_fails": 0, "false_passes": 0, "other": 0}
        for lab in labs:
            cases = not options["no_cases"]
            if options["cases_from"]:
                cases = outside_cases(lab, options["cases_from"] / lab.slug)
            result = run_selftest(lab, timeout=options["timeout"], cases=cases)
            style = self.style.SUCCESS if result.ok else self.style.ERROR
            self.stdout.write(style(result.summary()))
            totals["pass"] += result.count("pass")
            totals["fail"] += result.count("fail")
            totals["false_fails"] += result.false_fails
            totals["false_passes"] += result.false_passes
            totals["other"] += sum(1 for c in result.cases if c.verdict in ("wrong_message", "error"))
            if not result.ok:
                failed.append(lab.slug)
        self.stdout.write(
            f"사례 합계: 맞는 사례 {totals['pass']}개 중 잘못 실패 {totals['false_fails']}개, "
            f"틀린 사례 {totals['fail']}개 중 잘못 통과 {totals['false_passes']}개, "
            f"문구 불일치·실행 오류 {totals['other']}개"
        )
        if failed:
            raise CommandError(f"자체 검사 실패: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"실습 {labs.count()}개 모두 자체 검사를 통과했습니다."))


def outside_cases(lab, folder: Path) -> list[Case]:
    """The cases in `folder`, checked like the lab's own; a broken case file stops the run."""
    from courses.content.errors import Problems
    from labs.content.cases import load_cases

    spec = lab.spec
    report = Problems()
    files = [{"name": f.name} for f in spec.files]
    loaded = load_cases(
        report, None, lab.scope, files, {c.id for c in spec.checks}, folder=folder, fails_required=False
    )
    if report.errors:
        raise CommandError("\n".join(str(e) for e in report.errors))
    return [Case.from_stored(c) for c in loaded]
