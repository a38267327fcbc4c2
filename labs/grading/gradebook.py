"""The instructor's view of lab work: per lab pass rates, per student attempts and scores.

Computed with a handful of aggregate queries (not per student), so a class of hundreds
stays one page load. "Passed" means a finished grading with full marks; a pass that came
after the student looked at the reference solution is counted, and flagged.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min

from labs.models import Lab, LabSession, SolutionReveal, Submission


@dataclass
class LabSummary:
    lab: Lab
    students: int = 0
    submissions: int = 0
    passed: int = 0
    reveals: int = 0
    live_sessions: int = 0

    @property
    def pass_rate(self) -> int | None:
        return round(100 * self.passed / self.students) if self.students else None


@dataclass
class StudentRow:
    username: str
    attempts: int
    best: int
    max_score: int
    first_at: datetime
    last_at: datetime
    passed_at: datetime | None
    revealed_at: datetime | None = None
    live_state: str = ""
    scores: list[int] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.best / self.max_score) if self.max_score else 0

    @property
    def passed_with_help(self) -> bool:
        return bool(self.passed_at and self.revealed_at and self.revealed_at < self.passed_at)


def lab_summaries() -> list[LabSummary]:
    labs = Lab.objects.published().order_by("order", "slug")
    summaries = {lab.pk: LabSummary(lab) for lab in labs}
    done = Submission.objects.done().filter(lab__in=labs)
    for row in done.values("lab").annotate(n=Count("id"), students=Count("user", distinct=True)):
        summaries[row["lab"]].submissions = row["n"]
        summaries[row["lab"]].students = row["students"]
    for passed in done.perfect().values("lab").annotate(n=Count("user", distinct=True)):
        summaries[passed["lab"]].passed = passed["n"]
    for reveal in SolutionReveal.objects.filter(lab__in=labs).values("lab").annotate(n=Count("id")):
        summaries[reveal["lab"]].reveals = reveal["n"]
    live = LabSession.objects.active().filter(lab__in=labs)
    for sessions in live.values("lab").annotate(n=Count("id")):
        summaries[sessions["lab"]].live_sessions = sessions["n"]
    return list(summaries.values())


def lab_students(lab: Lab) -> list[StudentRow]:
    done = Submission.objects.done().filter(lab=lab)
    passed_at = {
        row["user"]: row["at"] for row in done.perfect().values("user").annotate(at=Min("created_at"))
    }
    revealed = dict(SolutionReveal.objects.filter(lab=lab).values_list("user", "revealed_at"))
    live = dict(LabSession.objects.active().filter(lab=lab).values_list("user", "state"))
    labels = dict(LabSession.State.choices)
    rows = []
    stats = (
        done.values("user", "user__username")
        .annotate(
            attempts=Count("id"),
            best=Max("score"),
            max_score=Max("max_score"),
            first_at=Min("created_at"),
            last_at=Max("created_at"),
        )
        .order_by("user__username")
    )
    for row in stats:
        rows.append(
            StudentRow(
                username=row["user__username"],
                attempts=row["attempts"],
                best=row["best"],
                max_score=row["max_score"],
                first_at=row["first_at"],
                last_at=row["last_at"],
                passed_at=passed_at.get(row["user"]),
                revealed_at=revealed.get(row["user"]),
                live_state=labels.get(live.get(row["user"], ""), ""),
            )
        )
    # Students who started the lab but never had a finished grading are part of the class too.
    graded = {row.username for row in rows}
    started = (
        LabSession.objects.filter(lab=lab)
        .exclude(user__username__in=graded)
        .values("user", "user__username")
        .annotate(first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by("user__username")
    )
    for start in started:
        rows.append(
            StudentRow(
                username=start["user__username"],
                attempts=0,
                best=0,
                max_score=lab.spec.max_score,
                first_at=start["first_at"],
                last_at=start["last_at"],
                passed_at=None,
                revealed_at=revealed.get(start["user"]),
                live_state=labels.get(live.get(start["user"], ""), ""),
            )
        )
    return rows
