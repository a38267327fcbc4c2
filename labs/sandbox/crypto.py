"""Encryption at rest for sandbox credentials (Fernet, key derived from a setting).

LAB_CREDENTIALS_KEY wins when set (so SECRET_KEY can rotate without losing live
sessions); otherwise the key is derived from SECRET_KEY with HKDF.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kubaeum-lab-credentials", info=b"fernet").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(raw))


def _current() -> Fernet:
    return _fernet(getattr(settings, "LAB_CREDENTIALS_KEY", "") or settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return _current().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt; an undecryptable value (key changed) reads as empty credentials."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        return ""
