from dataclasses import dataclass
from pathlib import Path

from kubaeum.safe_yaml import line_at


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file, printed as `path:line: 메시지`."""

    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class Problems:
    """Every problem found while reading one file (and the files it names), each kept as a
    ContentError. `add` takes a line; `at` takes a key path in the file's YAML, such as
    ("quiz", 0, "choices"), and reports it at that key's line, or at its nearest parent's
    when the key is missing."""

    def __init__(self, path: str = "", root=None):
        self.path, self.root = path, root
        self.errors: list[ContentError] = []

    def add(self, line: int | None, message: str, path: str | None = None) -> None:
        self.errors.append(ContentError(path or self.path, int(line or 1), message))

    def at(self, keys: tuple, message: str) -> None:
        self.add(line_at(self.root, *keys), message)


class ContentInvalid(Exception):
    """Raised before anything is written: the database stays as it was."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
