"""What a container's program does, read from its image, command, args and env.

A Service must send traffic where the program listens, which its flags decide, not the
`containerPort` it declares (a declaration the kubelet never enforces). The project's lab
images take Go-style flags that may also come from the environment (see the lab images
in README); for any other image the declared ports are the best we know.
"""

from .images import parse_image

# repository -> {flag: (env var, default)}
KNOWN_PROGRAMS = {
    "kubaeum/web": {"port": ("PORT", "8080"), "text": ("TEXT", ""), "files": ("FILES", "")},
    "kubaeum/crashloop": {"port": ("PORT", "8080"), "text": ("TEXT", ""), "files": ("FILES", "")},
}


# repository -> the paths its HTTP server answers with 200 (while healthy)
ANSWERED_PATHS = {
    "kubaeum/web": ("/", "/healthz", "/version"),
    "kubaeum/crashloop": ("/", "/healthz", "/version"),
}


def answered_paths(image) -> tuple[str, ...] | None:
    ref = parse_image(image)
    return ANSWERED_PATHS.get(ref.short_name) if ref else None


def program_of(image) -> dict | None:
    ref = parse_image(image)
    return KNOWN_PROGRAMS.get(ref.short_name) if ref else None


def flag_value(container: dict, flag: str):
    """The value of a Go-style flag (`--port=80`, `-port 80`) in command+args, else None."""
    words = [str(w) for w in (container.get("command") or []) + (container.get("args") or [])]
    value = None
    for i, word in enumerate(words):
        for dashes in ("--", "-"):
            if word.startswith(f"{dashes}{flag}="):
                value = word.split("=", 1)[1]
            elif word == f"{dashes}{flag}" and i + 1 < len(words):
                value = words[i + 1]
    return value


def env_value(container: dict, name: str):
    """A literal env value (valueFrom cannot be known without reading the source object)."""
    value = None
    for var in container.get("env") or []:
        if isinstance(var, dict) and var.get("name") == name and "value" in var:
            value = str(var.get("value") or "")
    return value


def setting(container: dict, flag: str):
    """A known program's setting: flag, else env, else its default; None for unknown images."""
    program = program_of(container.get("image"))
    if not program or flag not in program:
        return None
    env, default = program[flag]
    found = flag_value(container, flag)
    if found is None:
        found = env_value(container, env)
    return default if found is None else found


def listening_ports(container: dict) -> set[int]:
    """Ports the container's program listens on."""
    port = setting(container, "port")
    if port is not None:
        try:
            return {int(str(port).lstrip(":"))}
        except ValueError:
            return set()
    return {
        int(p["containerPort"])
        for p in container.get("ports") or []
        if isinstance(p, dict) and str(p.get("containerPort", "")).isdigit()
    }


def named_port(container: dict, name: str) -> int | None:
    for p in container.get("ports") or []:
        if isinstance(p, dict) and p.get("name") == name and str(p.get("containerPort", "")).isdigit():
            return int(p["containerPort"])
    return None
