"""Helpers shared by the Kubernetes check types."""

import json

from ..kinds import describe, parse_selector
from .registry import Outcome

TARGET = {"kind": "kind", "name": "str"}
TARGET_OPT = {"namespace": "str"}


def show(value) -> str:
    """A value as the student would write it in YAML."""
    from ..paths import MISSING

    if value is MISSING or value is None:
        return "없음"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= 120 else text[:117] + "..."
    return str(value)


def find(spec, source):
    """(object, None) or (None, failing Outcome) for the check's kind/name."""
    obj = source.get(spec["kind"], spec["name"], spec.get("namespace"))
    if obj is None:
        return None, Outcome(False, describe(spec["kind"], spec["name"]), "있음", "없음")
    return obj, None


def selected(spec, source):
    return source.select(spec["kind"], parse_selector(spec.get("selector")), spec.get("namespace"))


def alive(objects: list[dict]) -> list[dict]:
    """Without objects already being deleted (a rollout's terminating pods still answer lists)."""
    return [o for o in objects if not (o.get("metadata") or {}).get("deletionTimestamp")]


def pod_spec(obj: dict) -> dict:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {}
    return (spec.get("template") or {}).get("spec") or {}


def containers(obj: dict, name: str | None = None) -> list[dict]:
    found = [c for c in pod_spec(obj).get("containers") or [] if isinstance(c, dict)]
    if name:
        found = [c for c in found if c.get("name") == name]
    return found


def named_container(spec, source):
    """(the container called spec["container"] in the object's pod template, None), or
    (None, the failing Outcome that says what is missing)."""
    obj, failed = find(spec, source)
    if failed:
        return None, failed
    found = containers(obj, spec["container"])
    if not found:
        return None, Outcome(
            False, f"{describe(spec['kind'], spec['name'])}의 컨테이너", spec["container"], "없음"
        )
    return found[0], None


def annotation(obj: dict, key: str):
    return ((obj.get("metadata") or {}).get("annotations") or {}).get(key)


def revision(obj: dict) -> int:
    try:
        return int(annotation(obj, "deployment.kubernetes.io/revision") or 0)
    except ValueError:
        return 0
