# Admin registrations live next to each concern; this module only imports them.
from labs.sandbox import admin as _sandbox_admin  # noqa: F401  LabSession
