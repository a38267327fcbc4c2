"""sync_labs: content/labs/<slug>/ → Lab rows, with the same guarantees as lessons.

Every lab is validated before anything is written; one invalid file raises ContentInvalid
(all errors, `path:line: 메시지`) and nothing changes. Labs whose folder disappeared are
unpublished, never deleted (submissions point at them). Running it twice changes nothing.

A lab that declares `requires: {containers: true}` is published only where a provider can
really run its containers (kind reporting available); elsewhere it is synced unpublished,
never served on a simulated cluster where probes, logs and HTTP answers do not exist.
"""

import copy
import hashlib
from collections import Counter
from pathlib import Path

from django.db import transaction

from courses.content.errors import ContentInvalid

from ..grading.checks import CHECK_TYPES
from ..grading.custom_checks import PYTHON_CHECKS
from ..models import Lab
from .lab_format import known_lessons, load_lab

FIELDS = ("title", "summary", "scope", "containers", "time_limit_minutes", "order", "definition")


def load_labs(content_dir: Path):
    """(list of field dicts, list of errors) for every content/labs/<slug>/lab.yaml."""
    labs_dir = Path(content_dir) / "labs"
    lessons = known_lessons(content_dir)
    found: list[dict] = []
    errors: list = []
    if not labs_dir.is_dir():
        return found, errors
    for lab_dir in sorted(p for p in labs_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        fields, problems = _load_lab_once(lab_dir, lessons)
        errors.extend(problems)
        if fields:
            found.append(fields)
    return found, errors


# Validated labs by (folder name, digest of its files, known lessons, registered check types).
_VALID: dict[tuple, dict] = {}


def _load_lab_once(lab_dir: Path, lessons: set[str] | None):
    """load_lab, reused while the lab's files are byte for byte the same: validating a lab
    parses every manifest and case it ships (most of a second for all of them), and a
    process that syncs unchanged files again (the test suite does, per test) gets the same
    fields. Only valid labs are kept (errors name their files, which may have moved), and
    a copy is returned, so no caller can change the kept one."""
    digest = hashlib.sha256()
    for path in sorted(p for p in lab_dir.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(lab_dir)}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    # A lab may name a Python check: what is registered is part of the answer.
    key = (
        lab_dir.name,
        digest.hexdigest(),
        frozenset(lessons) if lessons is not None else None,
        tuple(sorted(CHECK_TYPES)),
        tuple(sorted(PYTHON_CHECKS)),
    )
    if key not in _VALID:
        fields, problems = load_lab(lab_dir, lessons)
        if problems:
            return fields, problems
        if len(_VALID) >= 256:
            _VALID.pop(next(iter(_VALID)))
        _VALID[key] = fields
    return copy.deepcopy(_VALID[key]), []


def containers_unavailable_reason() -> str:
    """Why labs that need real containers cannot be served here ('' when they can)."""
    from ..providers.registry import get_provider

    usable, why = get_provider("kind").available()
    if usable:
        return ""
    return (
        f"실제 컨테이너가 필요한 실습이지만 이 서버에서 kind 실습 환경을 쓸 수 없어 비공개로 둡니다 ({why})"
    )


def sync_labs(content_dir, stdout=None) -> Counter:
    labs, errors = load_labs(Path(content_dir))
    if errors:
        raise ContentInvalid(errors)
    counts: Counter[str] = Counter()
    blocked = containers_unavailable_reason() if any(f["containers"] for f in labs) else ""
    held_back: list[str] = []
    with transaction.atomic():
        seen = set()
        for fields in labs:
            seen.add(fields["slug"])
            publish = not (fields["containers"] and blocked)
            if not publish:
                held_back.append(fields["slug"])
            lab = Lab.objects.filter(slug=fields["slug"]).first()
            if lab is None:
                Lab.objects.create(is_published=publish, **fields)
                counts["생성"] += 1
                continue
            changed = [f for f in FIELDS if getattr(lab, f) != fields[f]]
            if lab.is_published != publish:
                changed.append("is_published")
                lab.is_published = publish
            if changed:
                for f in FIELDS:
                    setattr(lab, f, fields[f])
                lab.save()
                counts["갱신"] += 1
            else:
                counts["변경 없음"] += 1
        gone = Lab.objects.published().exclude(slug__in=seen)
        counts["비공개 처리"] += gone.count()
        gone.update(is_published=False)
    counts["컨테이너 필요로 비공개"] = len(held_back)
    if stdout is not None:
        order = ("생성", "갱신", "변경 없음", "비공개 처리")
        stdout.write("실습: " + ", ".join(f"{k} {counts[k]}" for k in order))
        if held_back:
            stdout.write(f"{blocked}: {', '.join(held_back)}")
    return counts
