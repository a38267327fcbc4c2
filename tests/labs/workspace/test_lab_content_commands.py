"""Every kubectl command our sandbox labs tell a student to type (steps and solutions) works in the web console."""

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from labs.console.policy import check_command

FENCE = re.compile(r"```(?:bash|sh|shell|console)?\n(.*?)```", re.S)


def lab_commands():
    for lab_file in sorted((Path(settings.CONTENT_DIR) / "labs").glob("*/lab.yaml")):
        lab = yaml.safe_load(lab_file.read_text(encoding="utf-8"))
        if (lab.get("requires") or {}).get("scope") == "none":
            continue  # a file lab has no console: its commands illustrate, the student runs them elsewhere
        for step in lab.get("steps") or []:
            for block in FENCE.findall(step.get("instructions") or ""):
                for line in block.splitlines():
                    line = line.strip().removeprefix("$ ")
                    if line.startswith("kubectl "):
                        yield pytest.param(line, id=f"{lab_file.parent.name}: {line[:50]}")
        for command in (lab.get("solution") or {}).get("commands") or []:
            line = shlex.join(command) if isinstance(command, list) else str(command)
            yield pytest.param(line, id=f"{lab_file.parent.name} (정답): {line[:50]}")


@pytest.mark.parametrize("command", list(lab_commands()))
def test_lab_command_is_accepted_by_the_console(command):
    assert check_command(command)[0] != "kubectl"


def test_the_labs_do_contain_commands():
    assert len(list(lab_commands())) >= 10
