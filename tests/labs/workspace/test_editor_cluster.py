"""The YAML editor against the real cluster: dry-run validates, apply creates, errors point at lines."""

import pytest
from django.urls import reverse
from kubernetes import client as k8s

from labs.cluster import api_client

pytestmark = pytest.mark.cluster

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
"""


def admin_apps(cluster):
    return k8s.AppsV1Api(api_client(cluster.kubeconfig))


def post(client, name, session, text):
    response = client.post(reverse(name, args=[session.pk]), {"yaml": text})
    return response.status_code, response.content.decode()


def test_validate_is_a_dry_run_that_creates_nothing(student_client, student, provisioned, cluster):
    session = provisioned(student)
    status, body = post(student_client, "labs-validate", session, DEPLOYMENT)
    assert status == 200, body
    assert "검증 통과" in body and "deployment.apps/web" in body
    names = [d.metadata.name for d in admin_apps(cluster).list_namespaced_deployment(session.namespace).items]
    assert names == []


def test_apply_creates_the_deployment_in_the_session_namespace(student_client, student, provisioned, cluster):
    session = provisioned(student)
    status, body = post(student_client, "labs-apply", session, DEPLOYMENT)
    assert status == 200, body
    assert "deployment.apps/web" in body and "적용됨" in body
    deployment = admin_apps(cluster).read_namespaced_deployment("web", session.namespace)
    assert deployment.spec.replicas == 2
    # Applying again with a change updates in place (server-side apply).
    status, body = post(
        student_client, "labs-apply", session, DEPLOYMENT.replace("replicas: 2", "replicas: 3")
    )
    assert status == 200
    assert admin_apps(cluster).read_namespaced_deployment("web", session.namespace).spec.replicas == 3


def test_an_invalid_field_is_reported_in_korean_at_its_line(student_client, student, provisioned):
    session = provisioned(student)
    broken = DEPLOYMENT.replace("replicas: 2", "replicas: -4")
    status, body = post(student_client, "labs-validate", session, broken)
    assert status == 422, body
    assert "문서 1" in body and "유효하지 않은 값" in body
    assert 'data-error-line="7"' in body


def test_an_unknown_kind_is_reported_in_korean(student_client, student, provisioned):
    session = provisioned(student)
    status, body = post(
        student_client, "labs-apply", session, "apiVersion: v1\nkind: Potato\nmetadata: {name: p}\n"
    )
    assert status == 422
    assert "Potato" in body and "알지 못합니다" in body


def test_a_cluster_scoped_object_is_refused_by_the_api_server(student_client, student, provisioned):
    session = provisioned(student)
    status, body = post(
        student_client, "labs-apply", session, "apiVersion: v1\nkind: Namespace\nmetadata: {name: mine}\n"
    )
    assert status == 422
    assert "권한이 없습니다" in body


def test_bad_yaml_with_a_real_session_is_refused_and_creates_nothing(
    student_client, student, provisioned, cluster
):
    from tests.labs.workspace.test_editor_input import BILLION_LAUGHS, WRONG_NAMESPACE

    session = provisioned(student)
    cases = (
        (WRONG_NAMESPACE, "kube-system"),
        (BILLION_LAUGHS, "별칭"),
        ("kind: [\n", "YAML 문법 오류"),
        ("\x00\x01", "바이너리"),
    )
    for text, expected in cases:
        code, body = post(student_client, "labs-apply", session, text)
        assert code == 400, body
        assert expected in body, body
    huge = DEPLOYMENT + "  annotations: {a: '" + "x" * (5 * 1024 * 1024) + "'}\n"
    code, body = post(student_client, "labs-apply", session, huge)
    assert code == 413 and "너무 큽니다" in body
    core = k8s.CoreV1Api(api_client(cluster.kubeconfig))
    assert [c.metadata.name for c in core.list_namespaced_config_map(session.namespace).items] == [
        "kube-root-ca.crt"
    ]
    assert "web" not in [
        d.metadata.name for d in admin_apps(cluster).list_namespaced_deployment("kube-system").items
    ]


def test_kubectl_get_yaml_output_can_be_pasted_edited_and_applied(
    student_client, student, provisioned, cluster, console
):
    import html
    import re

    session = provisioned(student)
    assert post(student_client, "labs-apply", session, DEPLOYMENT)[0] == 200
    response = console.run(student_client, session, "kubectl get deployment web -o yaml")
    exported = html.unescape(
        re.search(r'<pre class="console-out">(.*?)</pre>', response.content.decode(), re.S)[1]
    )
    assert "managedFields" in exported or "resourceVersion" in exported
    status, body = post(
        student_client, "labs-apply", session, exported.replace("replicas: 2", "replicas: 4", 1)
    )
    assert status == 200, body
    assert admin_apps(cluster).read_namespaced_deployment("web", session.namespace).spec.replicas == 4


def test_a_kind_list_gets_a_korean_explanation(student_client, student, provisioned):
    session = provisioned(student)
    listing = "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ''\nitems: []\n"
    status, body = post(student_client, "labs-validate", session, listing)
    assert status == 400
    assert "kind: List" in body and 'data-error-line="1"' in body
