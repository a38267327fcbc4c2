"""SECRET_KEY: generated and private on the first run, the public default refused in production.

Each case starts a fresh Python process that imports the real settings (a settings module is
read once per process), with its own state folder and database.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

from kubaeum.secret_key import PUBLIC_DEFAULT

ROOT = Path(__file__).resolve().parents[2]
# Reading a setting imports the settings module, which is where the key is made and the
# files are tightened; loading every app as well would only slow each process down.
SHOW_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def run_settings(tmp_path, code=SHOW_KEY, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "LAB_CREDENTIALS_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="kubaeum.settings",
        KUBAEUM_STATE_DIR=str(tmp_path / "state"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_run_without_a_key_writes_a_random_private_key_that_later_runs_reuse(tmp_path):
    first = run_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "state" / "secret_key"
    assert mode(key_file) == 0o600
    assert mode(tmp_path / "state") == 0o700
    key = first.stdout.strip()
    assert len(key) >= 50 and key != PUBLIC_DEFAULT
    assert key_file.read_text().strip() == key
    second = run_settings(tmp_path)
    assert second.stdout.strip() == key  # web, worker and beat agree on one key


def test_two_installations_get_different_keys(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = run_settings(tmp_path / "a"), run_settings(tmp_path / "b")
    assert a.stdout.strip() and a.stdout.strip() != b.stdout.strip()


def test_the_public_default_key_refuses_to_start_without_debug(tmp_path):
    refused = run_settings(tmp_path, SECRET_KEY=PUBLIC_DEFAULT, DEBUG="false")
    assert refused.returncode != 0
    assert "공개된 개발용 기본값" in refused.stderr
    allowed = run_settings(tmp_path, SECRET_KEY=PUBLIC_DEFAULT, DEBUG="true")
    assert allowed.returncode == 0, allowed.stderr


def test_a_configured_key_is_used_as_is_and_no_file_is_written(tmp_path):
    done = run_settings(tmp_path, SECRET_KEY="x" * 60)
    assert done.stdout.strip() == "x" * 60
    assert not (tmp_path / "state" / "secret_key").exists()


def test_the_database_and_the_credentials_key_are_not_readable_by_other_users(tmp_path):
    migrate = "import django; django.setup(); from django.core.management import call_command; "
    migrate += "call_command('migrate', verbosity=0)"
    done = run_settings(tmp_path, code=migrate)
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "db.sqlite3") & 0o077 == 0
    # A database left world-readable by an older version is tightened on the next start.
    os.chmod(tmp_path / "db.sqlite3", 0o644)
    assert run_settings(tmp_path).returncode == 0
    assert mode(tmp_path / "db.sqlite3") == 0o600
