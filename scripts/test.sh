#!/usr/bin/env bash
# The whole test suite, after the static checks. Fixtures start what the tests need
# themselves (a Redis server, the local Kubernetes cluster, Celery workers) on free
# loopback ports. `--fast` runs only the tests that need none of the cluster, a browser or
# a worker process; any other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/checks.sh
markers=()
if [ "${1:-}" = "--fast" ]; then
  shift
  # No shared cluster or browser here, so the tests spread over every core (pytest-xdist):
  # each worker has its own test database and Redis.
  markers=(-m "not cluster and not browser and not worker and not kind" -n auto)
fi
# Tests marked `kind` use the Docker engine `make test` started (containers/build.sh); the
# private one is stopped afterwards, the user's is left alone.
status=0
.venv/bin/python -m pytest "${markers[@]}" "$@" || status=$?
containers/engine.sh down >/dev/null 2>&1 || true
exit $status
