#!/usr/bin/env bash
# The whole test suite, after the static checks. Fixtures start what the tests need
# themselves (a Redis server, the local Kubernetes cluster, Celery workers, kind clusters) on
# free loopback ports. `--fast` runs only the tests that need none of the cluster, a browser
# or a worker process; any other arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/checks.sh
# The tests that need no shared cluster, browser or worker spread over every core
# (pytest-xdist; each worker has its own test database and Redis). The others share one
# local cluster and one kind cluster per run, so they run in one process.
fast="not cluster and not browser and not worker and not kind"
if [ "${1:-}" = "--fast" ]; then
  shift
  exec .venv/bin/python -m pytest -m "$fast" -n auto "$@"
fi
status=0
if [ $# -gt 0 ]; then
  # Chosen tests: the Docker engine and kind images first, in case they are kind tests.
  containers/build.sh --if-docker
  .venv/bin/python -m pytest "$@" || status=$?
else
  # On a fresh machine the kind node and lab images take minutes to build (Go, debootstrap).
  # They build at the lowest CPU and I/O priority while the tests that need no container
  # run: those keep their speed, and the build takes the time they leave idle. The tests
  # marked `kind` run once it is done. (When everything is built, this takes a second.)
  build_log="$(mktemp -t kubaeum-kind-build.XXXXXX.log)"
  echo "test: building the kind images in the background (containers/build.sh; log: $build_log)"
  # The engine first, at normal priority: the kind clusters of the tests run on it.
  containers/engine.sh up >/dev/null || true
  low=(nice -n 19)
  ionice -c 3 true 2>/dev/null && low+=(ionice -c 3)
  "${low[@]}" containers/build.sh --if-docker >"$build_log" 2>&1 &
  build=$!
  trap 'kill "$build" 2>/dev/null || true' EXIT
  .venv/bin/python -m pytest -m "$fast" -n auto || status=$?
  .venv/bin/python -m pytest -m "not ($fast) and not kind" || status=$?
  build_ok=yes
  wait "$build" || build_ok=no
  trap - EXIT
  if [ "$build_ok" = yes ]; then
    grep -E '^(kind|docker):' "$build_log" || true
    .venv/bin/python -m pytest -m kind || status=$?
  else
    tail -n 60 "$build_log"
    echo "test: building the kind images failed (above; whole log: $build_log); the kind tests did not run" >&2
    status=1
  fi
fi
containers/engine.sh down >/dev/null 2>&1 || true
exit $status
