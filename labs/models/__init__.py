# Models are split by concern; each module owns its tables.
from .catalog import Lab  # noqa: F401  lab definitions synced from content/labs
