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
  markers=(-m "not cluster and not browser and not worker and not kind")
fi
exec .venv/bin/python -m pytest "${markers[@]}" "$@"
