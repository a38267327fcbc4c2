#!/usr/bin/env bash
# Static checks run before every test run: lint, formatting, types, migrations in step with
# the models, and Django's deployment checks under production-like settings.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy --no-error-summary || { echo "checks: mypy found type errors (above)" >&2; exit 1; }
DJANGO_SETTINGS_MODULE=kubaeum.test_settings .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "checks: models changed without a migration (run manage.py makemigrations)" >&2; exit 1; }
# Production-like: DEBUG off, a real secret, HTTPS cookies. Only errors and the warnings
# that matter behind HTTPS fail the run.
DEBUG=false SECURE_COOKIES=true SECRET_KEY="checks-$(head -c 64 /dev/urandom | base64 -w0 | tr -d '/+=')" \
  ALLOWED_HOSTS=kubaeum.example \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
