"""kind cannot run here (no Docker): this checks OUR command lines and lifecycle against a
stand-in `kind` executable that records its arguments. It does not test kind itself."""

import json
import stat
import sys

from labs.models import LabSession
from labs.providers import get_provider
from labs.providers.kind import kind_name

STAND_IN = """#!{python}
import json, os, sys
from pathlib import Path
state = Path({state!r})
calls = state / "calls.jsonl"
with calls.open("a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
clusters = state / "clusters"
clusters.mkdir(exist_ok=True)
args = sys.argv[1:]
if args[:2] == ["get", "clusters"]:
    print("\\n".join(p.name for p in clusters.iterdir()))
elif args[:2] == ["create", "cluster"]:
    name = args[args.index("--name") + 1]
    kubeconfig = args[args.index("--kubeconfig") + 1]
    (clusters / name).touch()
    Path(kubeconfig).write_text("apiVersion: v1\\nkind: Config\\nclusters: []\\n# kind " + name + "\\n")
elif args[:2] == ["delete", "cluster"]:
    (clusters / args[args.index("--name") + 1]).unlink(missing_ok=True)
"""


def test_kind_provider_command_lines_with_a_stand_in_kind(tmp_path, student, lab, settings):
    script = tmp_path / "kind"
    script.write_text(STAND_IN.format(python=sys.executable, state=str(tmp_path)))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    settings.LAB_KIND_BINARY = str(script)
    settings.KUBAEUM_STATE_DIR = tmp_path / "state"
    settings.LAB_KIND_WAIT = "90s"
    provider = get_provider("kind")
    session = LabSession.objects.create(user=student, lab=lab, provider="kind")
    steps = []

    sandbox = provider.create(session, steps.append)
    name = kind_name(session)
    assert sandbox.cluster_name == name
    assert f"# kind {name}" in sandbox.kubeconfig
    assert steps == ["sandbox"]
    config = (settings.KUBAEUM_STATE_DIR / "kind" / name / "kind-config.yaml").read_text()
    assert "kind: Cluster" in config and "control-plane" in config
    # Idempotent: a second create (a retried task) does not create another cluster.
    provider.create(session, steps.append)
    assert provider.sandboxes() == {session.pk: name}
    provider.destroy(session)
    assert provider.sandboxes() == {}

    calls = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    creates = [c for c in calls if c[:2] == ["create", "cluster"]]
    assert len(creates) == 1
    create = creates[0]
    workdir = settings.KUBAEUM_STATE_DIR / "kind" / name
    assert create == [
        "create", "cluster", "--name", name, "--config", str(workdir / "kind-config.yaml"),
        "--kubeconfig", str(workdir / "kubeconfig"), "--wait", "90s",
    ]  # fmt: skip
    assert ["delete", "cluster", "--name", name, "--kubeconfig", str(workdir / "kubeconfig")] in calls


def test_kind_is_unavailable_without_docker_and_kind_on_path(settings):
    settings.LAB_KIND_BINARY = "no-such-kind-binary"
    ok, detail = get_provider("kind").available()
    assert ok is False
    assert "PATH" in detail
