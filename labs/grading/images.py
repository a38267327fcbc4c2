"""Image references compared by meaning: `nginx:1.27`, `docker.io/library/nginx:1.27` and
`index.docker.io/library/nginx:1.27` are one image; `name@sha256:…` is pinned by digest.

Follows the reference grammar of the distribution project: the first path component is a
registry only when it has a dot or a colon or is `localhost`; Docker Hub names without a
slash live under `library/`; no tag and no digest means `latest`.
"""

import re
from dataclasses import dataclass

DOCKER_HUB = "docker.io"
_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]+$")
_NAME = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")


@dataclass(frozen=True)
class ImageRef:
    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        return self.repository if self.registry == DOCKER_HUB else f"{self.registry}/{self.repository}"

    @property
    def short_name(self) -> str:
        """As people write it: `nginx`, `kubaeum/web`, `registry.k8s.io/pause`."""
        name = self.name
        return name[len("library/") :] if name.startswith("library/") else name

    @property
    def pinned(self) -> bool:
        return bool(self.digest) or (self.tag is not None and self.tag != "latest")

    def __str__(self) -> str:
        text = self.short_name
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


def parse_image(reference) -> ImageRef | None:
    """The parsed reference, or None when it is not a valid image reference."""
    if not isinstance(reference, str):
        return None
    text = reference.strip()
    if not text or any(c.isspace() for c in text):
        return None
    digest = None
    if "@" in text:
        text, digest = text.split("@", 1)
        if not _DIGEST.match(digest):
            return None
        digest = digest.lower()
    tag = None
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1 :]
        if not _TAG.match(tag):
            return None
    first, sep, rest = text.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, path = first.lower(), rest
    else:
        registry, path = DOCKER_HUB, text
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in path:
            path = f"library/{path}"
    if not _NAME.match(path):
        return None
    if tag is None and digest is None:
        tag = "latest"
    return ImageRef(registry, path, tag, digest)


def same_image(found, wanted) -> bool:
    """found satisfies wanted: same registry and repository; wanted's tag and digest (if any)
    are both present in found. `web:1.0@sha256:…` satisfies `web:1.0` (a pinned 1.0)."""
    a, b = parse_image(found), parse_image(wanted)
    if a is None or b is None:
        return isinstance(found, str) and isinstance(wanted, str) and found.strip() == wanted.strip()
    if (a.registry, a.repository) != (b.registry, b.repository):
        return False
    if b.digest and a.digest != b.digest:
        return False
    if b.tag and not (a.tag == b.tag or (b.digest and a.digest == b.digest)):
        # wanted "name:tag": found must carry that tag (a bare digest cannot be checked offline)
        return False
    return True


def same_repository(found, wanted) -> bool:
    a, b = parse_image(found), parse_image(wanted)
    return a is not None and b is not None and (a.registry, a.repository) == (b.registry, b.repository)
