"""A cluster-scope lab (dedicated kwok cluster, cluster-admin inside): console, editor and view span namespaces."""

import pytest
from django.urls import reverse

from labs.models import Lab, LabSession
from labs.providers import get_provider
from labs.providers import kwok as kwok_provider
from labs.sandbox.lifecycle import provision_session

pytestmark = pytest.mark.cluster

TEAM_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: team-blue
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: hashicorp/http-echo:1.0}]
"""


@pytest.fixture
def kwok_session(tmp_path, settings, student):
    settings.KUBAEUM_STATE_DIR = tmp_path / "state"
    settings.LAB_KWOK_NODES = 1
    settings.LAB_KWOK_POOL_SIZE = 0
    lab = Lab.objects.create(slug="team-rbac", title="팀 네임스페이스", scope=Lab.Scope.CLUSTER)
    session = LabSession.objects.create(user=student, lab=lab, provider="kwok")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    yield session
    provider = get_provider("kwok")
    for name in kwok_provider._names():
        provider.destroy_orphan(name)


def test_cluster_scope_session_works_across_namespaces(student_client, kwok_session, console):
    body = console.run(student_client, kwok_session, "kubectl get nodes").content.decode()
    assert "종료 코드 0" in body and "Ready" in body
    body = console.run(student_client, kwok_session, "kubectl create namespace team-blue").content.decode()
    assert "namespace/team-blue created" in body
    response = student_client.post(reverse("labs-apply", args=[kwok_session.pk]), {"yaml": TEAM_DEPLOYMENT})
    assert response.status_code == 200, response.content.decode()
    view = student_client.get(reverse("labs-resources", args=[kwok_session.pk])).content.decode()
    assert "team-blue/api" in view
    assert "kube-system/" not in view
