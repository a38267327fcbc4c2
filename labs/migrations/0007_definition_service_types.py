"""Stored lab definitions in the shape labs/spec.py reads: `service_types` is written by
the loader (requires: {service_types: [...]}), `max_score` is computed from the checks
instead of stored (one place for it). A later sync_content writes the same shape."""

from django.db import migrations


def forwards(apps, schema_editor):
    Lab = apps.get_model("labs", "Lab")
    for lab in Lab.objects.exclude(definition={}):
        definition = dict(lab.definition)
        definition.setdefault("service_types", [])
        definition.pop("max_score", None)
        if definition != lab.definition:
            lab.definition = definition
            lab.save(update_fields=["definition"])


def backwards(apps, schema_editor):
    Lab = apps.get_model("labs", "Lab")
    for lab in Lab.objects.exclude(definition={}):
        definition = dict(lab.definition)
        definition.pop("service_types", None)
        steps = definition.get("steps") or []
        definition["max_score"] = sum(int(c["points"]) for s in steps for c in s["checks"])
        lab.definition = definition
        lab.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("labs", "0006_continuity")]

    operations = [migrations.RunPython(forwards, backwards)]
