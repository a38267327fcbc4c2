"""Workspace fixtures: a lab, a ready session row, and a recording kubectl stand-in.

The stand-in is not a mock of Kubernetes: it replaces the kubectl *binary* so a test can
see exactly which argument lists the console executed (and prove refused ones never ran).
Tests against the real cluster use the real kubectl and a real provisioned session.
"""

import stat
from datetime import timedelta

import pytest
from django.utils import timezone

from labs.models import Lab, LabSession
from tests.labs.definitions import stored_check, stored_definition, stored_step

DUMMY_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: session-token}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: lab-test}}]
current-context: x
"""


@pytest.fixture
def lab(db):
    return Lab.objects.create(
        slug="deploy-scale",
        title="디플로이먼트와 스케일링",
        summary="Deployment를 만들고 복제본 수를 바꿉니다.",
        scope=Lab.Scope.NAMESPACE,
        time_limit_minutes=30,
        definition=stored_definition(
            steps=[
                stored_step(
                    title="Deployment 만들기",
                    instructions="web을 만드세요.",
                    instructions_html='<p>web을 만드세요.</p>\n<div class="highlight"><pre><code>kubectl get pods\n</code></pre></div>',
                    checks=[stored_check("exists", points=2)],
                )
            ]
        ),
    )


def make_ready_session(user, lab, namespace="lab-test"):
    now = timezone.now()
    session = LabSession(
        user=user,
        lab=lab,
        state=LabSession.State.READY,
        namespace=namespace,
        ready_at=now,
        expires_at=now + timedelta(hours=1),
        last_activity_at=now,
    )
    session.set_kubeconfig(DUMMY_KUBECONFIG)
    session.save()
    return session


@pytest.fixture
def ready_session(student, lab):
    return make_ready_session(student, lab)


@pytest.fixture
def other_session(other_student, lab):
    return make_ready_session(other_student, lab, namespace="lab-other")


class Shim:
    def __init__(self, directory):
        self.record = directory / "calls.log"
        self.path = directory / "kubectl"

    def calls(self) -> list[str]:
        return self.record.read_text().split("\n--call--\n")[:-1] if self.record.exists() else []


@pytest.fixture
def kubectl_shim(tmp_path, settings):
    shim = Shim(tmp_path)
    shim.path.write_text(
        "#!/bin/sh\n"
        f'{{ printf "%s\\n" "$@"; echo "ENV"; /usr/bin/env; echo "CONFIG"; /bin/cat "$KUBECONFIG"; '
        f'echo "--call--"; }} >> "{shim.record}"\n'
        'if [ "$1" = "big" ]; then /usr/bin/head -c 100000 /dev/zero | /usr/bin/tr "\\0" "x"; exit 0; fi\n'
        'if [ "$1" = "slow" ]; then /bin/sleep 5; fi\n'
        'if [ "$1" = "logs" ]; then echo "error: container not found"; exit 1; fi\n'
        'echo "NAME   READY"\n'
    )
    shim.path.chmod(shim.path.stat().st_mode | stat.S_IEXEC)
    settings.KUBECTL_PATH = str(shim.path)
    return shim


@pytest.fixture
def provisioned(settings, lab, provision):
    """Real sessions of `lab` on the real cluster, provisioned in-process (no worker)."""
    import uuid

    # Several pytest processes share one cluster, and session ids restart with each test's
    # database: a fresh prefix per test keeps a still-terminating namespace out of the way.
    settings.LAB_NAMESPACE_PREFIX = f"lab-w{uuid.uuid4().hex[:8]}-"

    def make(user):
        return provision(user, lab)

    return make
