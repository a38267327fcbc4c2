"""Check types: a registry of functions `run(spec, source) -> Outcome`.

Each type declares its parameters (validated when a lab is synced, with the line) and the
sources it can read: "live" (a sandbox) or "files" (submitted files). Importing this
package registers the built-in types; labs/grading/custom_checks.py adds `python` checks.
"""

# Each module registers its check types when imported.
from . import compose_checks, containers, dockerfile_checks, network, objects  # noqa: F401, I001
from . import pod_security, scheduling, services, values, workloads  # noqa: F401, I001
from .registry import CHECK_TYPES, CheckType, Outcome, check_type  # noqa: F401
