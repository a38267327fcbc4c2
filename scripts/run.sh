#!/usr/bin/env bash
# Start the whole platform on embedded defaults: Redis, the local Kubernetes cluster,
# a Celery worker and beat, and the web server. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
# Every web and worker process shares one cache (lesson pages, the content version) in the
# local Redis, database 1 (the broker uses 0).
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/1}"
mkdir -p var/log
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "run: stopping ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $PY manage.py cluster down --all || true
}
trap cleanup INT TERM EXIT

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "run: starting Redis on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir var >var/log/redis.log 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py sync_content
$PY manage.py cluster up

$PY -m celery -A kubaeum worker -l info -c 2 >var/log/celery-worker.log 2>&1 &
pids+=($!)
# Console commands: their own queue and worker (threads: each one mostly waits for kubectl),
# so no web thread runs kubectl and slow commands never hold up provisioning or grading.
$PY -m celery -A kubaeum worker -Q console -P threads -c 8 -n console@%h -l info >var/log/celery-console.log 2>&1 &
pids+=($!)
$PY -m celery -A kubaeum beat -l info -s var/celerybeat-schedule >var/log/celery-beat.log 2>&1 &
pids+=($!)
.venv/bin/gunicorn kubaeum.wsgi -b "127.0.0.1:$PORT" -w 2 --threads 4 --access-logfile var/log/web-access.log >var/log/web.log 2>&1 &
pids+=($!)

echo
echo "================================================================"
echo " 쿠배움이 실행 중입니다: http://127.0.0.1:$PORT/"
echo " 데모 계정:"
$PY manage.py create_demo_users
echo " 로그: var/log/   ·   멈추려면 Ctrl-C"
echo "================================================================"
wait "${pids[@]}"
