#!/usr/bin/env bash
# The whole test suite. Fixtures start what the tests need themselves (a Redis server,
# the local Kubernetes cluster, Celery workers) on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
