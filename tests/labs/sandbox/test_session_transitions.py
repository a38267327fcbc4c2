import pytest
from django.db import IntegrityError, transaction

from labs.models import LabSession

S = LabSession.State


def test_only_one_worker_wins_the_claim_to_provision(student, lab):
    session = LabSession.objects.create(user=student, lab=lab)
    twin = LabSession.objects.get(pk=session.pk)
    assert session.transition(S.REQUESTED, S.PROVISIONING) is True
    assert twin.transition(S.REQUESTED, S.PROVISIONING) is False
    assert twin.state == S.PROVISIONING


def test_an_ended_session_cannot_become_ready_again(student, lab):
    session = LabSession.objects.create(user=student, lab=lab, state=S.ENDED)
    assert session.transition([S.PROVISIONING], S.READY) is False
    assert LabSession.objects.get(pk=session.pk).state == S.ENDED


def test_the_database_refuses_two_active_sessions_for_one_lab(student, lab):
    LabSession.objects.create(user=student, lab=lab)
    with pytest.raises(IntegrityError), transaction.atomic():
        LabSession.objects.create(user=student, lab=lab, state=S.READY)
    # Ended and failed attempts do not count.
    LabSession.objects.filter(user=student).update(state=S.ENDED)
    LabSession.objects.create(user=student, lab=lab)
    assert LabSession.objects.filter(user=student, lab=lab).count() == 2
