# Models are split by concern; each module owns its tables.
from .catalog import Lab  # noqa: F401  lab definitions synced from content/labs
from .console import ConsoleCommand  # noqa: F401  commands run by the web console
from .continuity import AppliedManifest, SessionResume  # noqa: F401  rebuilding a reaped sandbox
from .sessions import LabSession  # noqa: F401  one attempt at a lab with its sandbox
from .submissions import SolutionReveal, Submission  # noqa: F401  gradings and the gradebook
