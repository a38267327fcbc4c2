import pytest

from labs.models import Lab, LabSession
from labs.sandbox.lifecycle import provision_session
from tests.labs.definitions import stored_definition

from .helpers import live_namespaces

pytestmark = pytest.mark.cluster


def test_a_refused_setup_object_fails_the_session_with_a_reason_and_cleans_up(lab_cluster, student):
    bad = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "sneaky"},
        "rules": [],
    }
    lab = Lab.objects.create(
        slug="broken-setup", title="잘못된 준비", definition=stored_definition(setup=[bad])
    )
    session = LabSession.objects.create(user=student, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "failed"
    session.refresh_from_db()
    assert session.state == "failed"
    assert session.failure_reason.startswith("실습 초기 리소스를 배치하지 못했습니다.")
    assert "ClusterRole" in session.failure_reason
    assert live_namespaces(lab_cluster, session.pk) == []
