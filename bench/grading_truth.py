"""How truthful grading is on answers written by someone who never read the lab files.

    .venv/bin/python bench/grading_truth.py [--batch bench/fresh-cases/batch-3] [slug ...]

Each folder under bench/fresh-cases/ holds one batch of cases (`<slug>/ok-*.yaml`,
`<slug>/wrong-*.yaml`) written only from what a student reads of each lab, by authors who
saw neither the checks nor the lab's own cases/. Every case is graded by the real engine on
a fresh sandbox, exactly as `lab_selftest --cases-from` does. Prints, per batch: correct
answers scored below full marks (false fails) and wrong answers scored full marks (false
passes). A wrong answer the sandbox refuses (RBAC, admission) counts as caught.

Namespace and cluster labs use the running shared local cluster (or start one); labs that
need real containers run only when the lab cluster is kind (LAB_SHARED_CLUSTER=kind, as
`make run` sets it when Docker works), and are listed as skipped otherwise.
Target (issue 8): false fails <= 2 % and false passes <= 2 %.
"""

import argparse
import os
from pathlib import Path

from support import ROOT, choose_cluster, start_django

# Cluster-scope cases start their own kwok clusters one at a time; no broker to refill a pool.
os.environ.setdefault("LAB_KWOK_POOL_SIZE", "0")

WORK = start_django("kubaeum-truth-bench-")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from labs.content import sync_labs  # noqa: E402
from labs.grading.selftest import run_selftest  # noqa: E402
from labs.management.commands.lab_selftest import outside_cases  # noqa: E402
from labs.models import Lab  # noqa: E402

BATCHES = ROOT / "bench" / "fresh-cases"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=Path, action="append", help="a batch folder (default: every batch)")
    parser.add_argument("slugs", nargs="*", help="only these labs")
    args = parser.parse_args()
    batches = args.batch or sorted(p for p in BATCHES.iterdir() if p.is_dir())
    call_command("migrate", verbosity=0)
    sync_labs(settings.CONTENT_DIR)
    started, _ = choose_cluster("kubaeum-truth-bench", WORK)
    try:
        for batch in batches:
            report(batch, args.slugs)
    finally:
        if started:
            started.stop()


def report(batch: Path, only: list[str]) -> None:
    totals = {"pass": 0, "false_fails": 0, "fail": 0, "false_passes": 0, "errors": 0}
    skipped, wrong_verdicts = [], []
    for folder in sorted(p for p in batch.iterdir() if p.is_dir()):
        if only and folder.name not in only:
            continue
        lab = Lab.objects.get(slug=folder.name)
        if lab.containers and settings.LAB_SHARED_CLUSTER != "kind":
            skipped.append(lab.slug)
            continue
        result = run_selftest(lab, timeout=240 if lab.containers else 90, cases=outside_cases(lab, folder))
        totals["pass"] += result.count("pass")
        totals["fail"] += result.count("fail")
        totals["false_fails"] += result.false_fails
        totals["false_passes"] += result.false_passes
        totals["errors"] += sum(1 for c in result.cases if c.verdict == "error")
        wrong_verdicts += [
            f"  {lab.slug}/{c.name}: {c.verdict} — {c.note[:160]}" for c in result.cases if c.verdict != "ok"
        ]
        if result.error or result.solution_score != result.max_score:
            wrong_verdicts.append(
                f"  {lab.slug}: reference solution {result.solution_score}/{result.max_score} {result.error}"
            )
    ff = totals["false_fails"] / max(totals["pass"], 1)
    fp = totals["false_passes"] / max(totals["fail"], 1)
    print(f"{batch.name}: correct answers {totals['pass']}, false fails {totals['false_fails']} ({ff:.1%}); "
          f"wrong answers {totals['fail']}, false passes {totals['false_passes']} ({fp:.1%}); "
          f"run errors {totals['errors']}")  # fmt: skip
    if skipped:
        print(f"  skipped (no kind lab cluster): {', '.join(skipped)}")
    print("\n".join(wrong_verdicts))


if __name__ == "__main__":
    main()
