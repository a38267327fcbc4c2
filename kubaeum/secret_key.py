"""SECRET_KEY without a public default: the environment's, or a random one kept on disk.

Sandbox credentials are encrypted with a key derived from SECRET_KEY (labs/sandbox/crypto.py),
so a key anyone can read in the source would make every stored kubeconfig readable. The first
run without SECRET_KEY writes a random key to <state>/secret_key (mode 0600, folder 0700) and
every later run (web, worker, beat: they must agree) reads the same file.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

# Refused outside DEBUG: it was the documented default once, so it is public.
PUBLIC_DEFAULT = "kubaeum-local-development-key-change-me-in-production"
FILE_NAME = "secret_key"


class InsecureKey(RuntimeError):
    pass


def private_dir(path: Path) -> Path:
    """Create `path` readable by its owner only (and tighten it if it already exists)."""
    path.mkdir(parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():
        os.chmod(path, 0o700)
    return path


def load(configured: str, state_dir: Path, debug: bool) -> str:
    if configured:
        if configured == PUBLIC_DEFAULT and not debug:
            raise InsecureKey(
                "SECRET_KEY가 공개된 개발용 기본값입니다. DEBUG=false에서는 시작하지 않습니다: "
                "긴 무작위 값을 설정하거나 SECRET_KEY를 비워 두어 자동 생성되게 하세요."
            )
        return configured
    folder = private_dir(Path(state_dir))
    path = folder / FILE_NAME
    if not path.exists():
        # Written aside, then linked into place: link() fails if another process (web and
        # worker start together) got there first, and nobody ever reads a half-written key.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50) + "\n")
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        os.chmod(path, 0o600)
    key = path.read_text().strip()
    if len(key) < 32:
        raise InsecureKey(f"{path}의 키가 비어 있거나 너무 짧습니다. 파일을 지우면 새로 만듭니다.")
    return key
