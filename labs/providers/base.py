"""The provider interface: every kind of sandbox is created, checked and destroyed alike."""

from dataclasses import dataclass, field


class ProviderError(RuntimeError):
    """A failure the student may see (Korean message). `transient` ones are retried."""

    def __init__(self, message: str, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass
class Sandbox:
    kubeconfig: str  # the session's own credentials
    namespace: str = ""  # "" for cluster-scoped sandboxes
    cluster_name: str = ""
    extra: dict = field(default_factory=dict)


class Provider:
    name = ""
    label = ""
    # Lab needs this provider can meet.
    scopes: tuple[str, ...] = ()
    containers = False

    def available(self) -> tuple[bool, str]:
        """(usable here?, Korean explanation) — shown on the admin status page."""
        return True, "사용 가능"

    def can_serve(self, lab) -> bool:
        if lab.containers and not self.containers:
            return False
        return lab.scope in self.scopes

    def create(self, session, progress) -> Sandbox:
        """Build the sandbox for `session`; idempotent (a retry reuses what exists).

        `progress(step)` records a LabSession.Step for the student's progress bar.
        """
        raise NotImplementedError

    def refresh_credentials(self, session) -> str | None:
        """New credentials after an extension (None: the current ones stay valid)."""
        return None

    def destroy(self, session) -> None:
        """Delete everything created for `session`; idempotent."""
        raise NotImplementedError

    def health(self) -> bool:
        return self.available()[0]

    def sandboxes(self) -> dict[int, str]:
        """Every sandbox of ours that exists now: {session id: name}, for orphan collection."""
        return {}

    def destroy_orphan(self, name: str) -> None:
        raise NotImplementedError
