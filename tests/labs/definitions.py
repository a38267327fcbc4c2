"""Lab definitions for tests, shaped exactly as the loader stores them (Lab.definition).

Tests that need a lab without a lab folder build its definition here, so `Lab.spec` reads
them like any synced lab: only the fields a test cares about differ from the defaults.
"""

from labs.content.lab_format import empty_solution
from labs.spec import Check, LabDefinition


def stored_check(id: str, type: str = "exists", points: int = 1, title: str = "", **params) -> dict:
    return {"id": id, "type": type, "title": title or id, "points": points, **params}


def stored_step(title: str = "단계", instructions: str = "", instructions_html: str = "", checks=()) -> dict:
    return {
        "title": title,
        "instructions": instructions,
        "instructions_html": instructions_html or f"<p>{instructions}</p>",
        "checks": list(checks),
        "requirements": [],
    }


def stored_definition(steps=(), **fields) -> dict:
    definition = {
        "lessons": [],
        "hints_after": 2,
        "service_types": [],
        "setup": [],
        "files": [],
        "steps": list(steps),
        "hints": [],
        "solution": empty_solution(),
        "cases": [],
    }
    definition.update(fields)
    return definition


def typed_check(id: str, type: str = "exists", points: int = 1, title: str = "", **params) -> Check:
    """A typed check, as Lab.spec gives it to the engine."""
    return Check.from_stored(stored_check(id, type, points, title, **params))


def typed_spec(steps=(), **fields) -> LabDefinition:
    return LabDefinition.from_stored(stored_definition(steps, **fields))
