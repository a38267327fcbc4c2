"""Settings for the test suite: the production settings plus knobs only tests need.

pytest (pyproject.toml) and the Celery workers the tests start use this module, so a test
never depends on a value that production could also pick up by accident.
"""

import os
import tempfile

from kubaeum.settings import *  # noqa: F403
from kubaeum.settings import DATABASES

# Password hashing is deliberately slow in production (PBKDF2); the suite creates
# hundreds of users and logs them in, and that alone took most of its run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests log in far more often than people do; tests/accounts/test_rate_limits.py turns the
# login and sign-up limits back on against the test Redis.
RATELIMIT_ENABLE = False
# Every test client loads the middleware again, and WhiteNoise, unless it refreshes, lists
# and stats every static file when it loads (a tenth of a second each time, several hundred
# times a run). Refreshing looks a file up when it is asked for, which is all tests need.
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that Celery worker processes started by tests share the
    # test database; one per pytest process so parallel runs never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "TEST_DB_NAME", os.path.join(tempfile.gettempdir(), f"kubaeum-test-{os.getpid()}.sqlite3")
        )
    }


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


# Which test run owns a sandbox: "t" + this pytest process's pid in base 36 (six characters
# at most, the part of it that kind cluster names carry), so that a later run can delete the
# kind clusters of a run that died without cleaning up (tests/kind_fixtures.py). Celery
# workers started by a test get the value of the run that started them.
LAB_INSTANCE = os.environ.get("LAB_INSTANCE") or "t" + _base36(os.getpid())
