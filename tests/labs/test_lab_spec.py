"""Lab.spec: every shipped lab's stored definition reads back as typed, frozen objects."""

import dataclasses
from pathlib import Path

import pytest
from django.conf import settings

from labs.content import load_labs
from labs.models import Lab
from labs.spec import LabDefinition


@pytest.fixture(scope="module")
def shipped():
    labs, errors = load_labs(Path(settings.CONTENT_DIR))
    assert not errors
    return labs


def test_every_shipped_lab_reads_back_with_its_steps_checks_and_score(shipped):
    for fields in shipped:
        spec = LabDefinition.from_stored(fields["definition"])
        assert spec.steps and spec.checks, fields["slug"]
        assert spec.max_score == sum(check.points for check in spec.checks) > 0
        assert all(step.number == n for n, step in enumerate(spec.steps, start=1))
        assert {c.id for c in spec.checks} >= {
            cid for s in spec.steps for r in s.requirements for cid in r.checks
        }


def test_file_labs_name_their_files_and_carry_an_answer_for_each(shipped):
    file_labs = [f for f in shipped if f["scope"] == "none"]
    assert file_labs
    for fields in file_labs:
        spec = LabDefinition.from_stored(fields["definition"])
        assert spec.files and set(spec.solution.files) == {f.name for f in spec.files}


def test_a_check_keeps_its_type_parameters_apart_from_the_common_fields(shipped):
    spec = LabDefinition.from_stored(next(f for f in shipped if f["slug"] == "first-pod")["definition"])
    image = next(c for c in spec.checks if c.id == "image")
    assert image.params["kind"] == "Pod" and "points" not in image.params and "id" not in image.params


def test_every_shipped_labs_self_test_cases_read_back_typed(shipped):
    for fields in shipped:
        spec = LabDefinition.from_stored(fields["definition"])
        assert spec.cases, fields["slug"]
        for case in spec.cases:
            assert case.expect in ("pass", "fail", "refused") and case.name, fields["slug"]
            assert bool(case.fails) == (case.expect == "fail")
            assert bool(case.refused) == (case.expect == "refused")
            assert bool(case.files) == (fields["scope"] == "none" and case.expect != "refused")


def test_the_spec_is_frozen(shipped):
    spec = LabDefinition.from_stored(shipped[0]["definition"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.hints_after = 99
    with pytest.raises(TypeError):
        spec.checks[0].params["kind"] = "Secret"


def test_a_lab_without_a_synced_definition_reads_as_one_with_no_steps():
    assert Lab(slug="draft", title="초안").spec.steps == ()
