# Admin registrations live next to each concern; this module only imports them.
from labs.console import admin as _console_admin  # noqa: F401  ConsoleCommand
from labs.grading import admin as _grading_admin  # noqa: F401  Lab, Submission, SolutionReveal
from labs.sandbox import admin as _sandbox_admin  # noqa: F401  LabSession
