"""The shared reads: which sessions are active, live, waiting or hold capacity; which
gradings count, are pending or earned full marks; which labs a user may open."""

import pytest
from django.contrib.auth.models import User

from labs.models import Lab, LabSession, Submission

S = LabSession.State


@pytest.fixture
def lab(db):
    return Lab.objects.create(slug="q-lab", title="질의", scope=Lab.Scope.NAMESPACE)


@pytest.fixture
def sessions(student, lab):
    """One session of a fresh lab per state (the one-active-per-lab rule needs a lab each)."""
    made = {}
    for state in S.values:
        other = Lab.objects.create(slug=f"q-{state}", title=state)
        made[state] = LabSession.objects.create(user=student, lab=other, state=state)
    made["waiting"] = LabSession.objects.create(user=student, lab=lab, state=S.REQUESTED, waiting=True)
    return made


def states(queryset) -> set[str]:
    return {"waiting" if s.waiting else s.state for s in queryset}


def test_active_sessions_are_requested_provisioning_or_ready(sessions):
    assert states(LabSession.objects.active()) == {"requested", "provisioning", "ready", "waiting"}


def test_live_sessions_include_those_being_torn_down(sessions):
    assert states(LabSession.objects.live()) == {"requested", "provisioning", "ready", "ending", "waiting"}


def test_a_waiting_session_holds_no_capacity_until_it_is_let_in(sessions):
    assert states(LabSession.objects.occupying()) == {"requested", "provisioning", "ready", "ending"}
    assert states(LabSession.objects.waiting()) == {"waiting"}
    assert states(LabSession.objects.not_waiting()) == {"requested"}


def test_a_students_sessions_never_include_another_students(sessions, other_student, lab):
    LabSession.objects.create(user=other_student, lab=lab, state=S.READY)
    assert LabSession.objects.of(other_student).active().count() == 1
    assert LabSession.objects.of(sessions["ready"].user).active().count() == 4


def test_only_finished_gradings_count_and_the_best_is_per_lab(student, other_student, lab):
    second = Lab.objects.create(slug="q-second", title="둘째")
    for score, state in ((3, "done"), (9, "done"), (10, "queued"), (10, "failed")):
        Submission.objects.create(user=student, lab=lab, state=state, score=score, max_score=10)
    Submission.objects.create(user=student, lab=second, state="done", score=10, max_score=10)
    Submission.objects.create(user=other_student, lab=lab, state="done", score=10, max_score=10)
    mine = Submission.objects.of(student)
    assert mine.done().count() == 3 and mine.pending().count() == 1
    assert mine.best_by_lab() == {lab.pk: 9, second.pk: 10}
    assert mine.below_full_marks().count() == 2
    assert list(mine.perfect().values_list("lab_id", flat=True)) == [second.pk]


def test_a_grading_of_a_lab_with_no_points_is_never_perfect(student, lab):
    Submission.objects.create(user=student, lab=lab, state="done", score=0, max_score=0)
    assert not Submission.objects.perfect().exists()


def test_unpublished_labs_are_visible_to_staff_only(lab, student):
    Lab.objects.filter(pk=lab.pk).update(is_published=False)
    staff = User.objects.create_user("staff", password="pw-staff-1234", is_staff=True)
    assert lab not in Lab.objects.visible_to(student) and lab not in Lab.objects.published()
    assert lab in Lab.objects.visible_to(staff)
