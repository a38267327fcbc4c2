"""Lab definitions for tests, shaped exactly as the loader stores them (Lab.definition).

Tests that need a lab without a lab folder build its definition here, so `Lab.spec` reads
them like any synced lab: only the fields a test cares about differ from the defaults.
"""

EMPTY_SOLUTION = {
    "manifests": [],
    "manifests_text": "",
    "commands": [],
    "files": {},
    "explanation": "",
    "explanation_html": "",
}


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
        "setup": [],
        "files": [],
        "steps": list(steps),
        "hints": [],
        "solution": dict(EMPTY_SOLUTION),
        "cases": [],
        "service_types": [],
    }
    definition.update(fields)
    definition.setdefault("max_score", sum(c["points"] for s in definition["steps"] for c in s["checks"]))
    return definition
