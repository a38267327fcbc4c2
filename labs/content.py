"""sync_labs: content/labs/<slug>/ → Lab rows, with the same guarantees as lessons.

Every lab is validated before anything is written; one invalid file raises ContentInvalid
(all errors, `path:line: 메시지`) and nothing changes. Labs whose folder disappeared are
unpublished, never deleted (submissions point at them). Running it twice changes nothing.
"""

from collections import Counter
from pathlib import Path

from django.db import transaction

from courses.content.errors import ContentInvalid

from .grading.lab_format import known_lessons, load_lab
from .models import Lab

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
        fields, problems = load_lab(lab_dir, lessons)
        errors.extend(problems)
        if fields:
            found.append(fields)
    return found, errors


def sync_labs(content_dir, stdout=None) -> Counter:
    labs, errors = load_labs(Path(content_dir))
    if errors:
        raise ContentInvalid(errors)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        seen = set()
        for fields in labs:
            seen.add(fields["slug"])
            lab = Lab.objects.filter(slug=fields["slug"]).first()
            if lab is None:
                Lab.objects.create(is_published=True, **fields)
                counts["생성"] += 1
                continue
            changed = [f for f in FIELDS if getattr(lab, f) != fields[f]]
            if not lab.is_published:
                changed.append("is_published")
                lab.is_published = True
            if changed:
                for f in FIELDS:
                    setattr(lab, f, fields[f])
                lab.save()
                counts["갱신"] += 1
            else:
                counts["변경 없음"] += 1
        gone = Lab.objects.filter(is_published=True).exclude(slug__in=seen)
        counts["비공개 처리"] += gone.count()
        gone.update(is_published=False)
    if stdout is not None:
        order = ("생성", "갱신", "변경 없음", "비공개 처리")
        stdout.write("실습: " + ", ".join(f"{k} {counts[k]}" for k in order))
    return counts
