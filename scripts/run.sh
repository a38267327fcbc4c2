#!/usr/bin/env bash
# Start the whole platform on embedded defaults: Redis, the local Kubernetes cluster,
# a Celery worker and beat, and the web server, all under supervisord
# (scripts/supervisord.conf): a process that dies is restarted, and a dead cluster
# component is restarted on its data by `cluster watch`. Ctrl-C stops everything; kwok
# clusters keep their data and resume on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the database, the key file and cluster certificates are private
PY=.venv/bin/python
export PORT="${PORT:-8000}" REDIS_PORT="${REDIS_PORT:-6379}" RUN_DIR="$PWD/var"
# Every web and worker process shares one cache (lesson pages, the content version) in the
# local Redis, database 1 (the broker uses 0).
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:$REDIS_PORT/1}"
mkdir -p var/log
supervisor_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo; echo "run: stopping ..."
  if [ -n "$supervisor_pid" ]; then kill -TERM "$supervisor_pid" 2>/dev/null || true; wait "$supervisor_pid" 2>/dev/null || true; fi
  if [ "${LAB_SHARED_CLUSTER:-}" = kind ]; then
    # kind clusters cannot be paused with the engine; sessions on them end with the run.
    $PY manage.py cluster down --all || true
    containers/engine.sh down || true  # the private engine only; never the user's
  else
    # Keep the clusters' data and certificates: the next `make run` resumes them, and the
    # sessions that were live carry on.
    $PY manage.py cluster stop --all || true
  fi
}
trap cleanup INT TERM EXIT

export RUN_REDIS=true
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "run: using the Redis already answering on 127.0.0.1:$REDIS_PORT"
  RUN_REDIS=false
fi

# kind (real containers) when a Docker engine answers and `make kind` built the node image;
# otherwise kwok (simulated pods), as before.
lab_mode="kwok (파드는 시뮬레이션, 컨테이너 없음)"
if [ -z "${LAB_SHARED_CLUSTER:-}" ]; then
  export LAB_SHARED_CLUSTER=kwok
  # shellcheck disable=SC1091
  NODE_IMAGE="$(. containers/versions.env && echo "$NODE_IMAGE")"
  if host="$(containers/engine.sh host 2>/dev/null)" \
    && DOCKER_HOST="$host" docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
    export DOCKER_HOST="$host" LAB_SHARED_CLUSTER=kind
  fi
fi
[ "$LAB_SHARED_CLUSTER" = kind ] && lab_mode="kind (실제 컨테이너, Docker: ${DOCKER_HOST:-기본})"
echo "run: 실습 클러스터 = $lab_mode"

# Redis first (the cache and the broker): sync_content already writes the content version.
.venv/bin/supervisord -c scripts/supervisord.conf &
supervisor_pid=$!
for _ in $(seq 100); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py sync_content
$PY manage.py cluster up
.venv/bin/supervisorctl -c scripts/supervisord.conf start cluster-watch worker console-worker beat web >/dev/null
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT/hello/" >/dev/null 2>&1 && break; sleep 0.2; done

echo
echo "================================================================"
echo " 쿠배움이 실행 중입니다: http://127.0.0.1:$PORT/"
echo " 실습 클러스터: $lab_mode"
echo " 데모 계정:"
$PY manage.py create_demo_users
echo " 로그: var/log/ · 상태: RUN_DIR=var .venv/bin/supervisorctl -c scripts/supervisord.conf status"
echo " 멈추려면 Ctrl-C"
echo "================================================================"
wait "$supervisor_pid"
