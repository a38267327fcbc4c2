#!/usr/bin/env bash
# The Docker engine Kubaeum's kind clusters run on.
#   engine.sh up      use the user's engine when one answers; otherwise start a private dockerd
#                     (installing Debian's docker.io first when dockerd is missing). Prints the
#                     DOCKER_HOST to use as the last line of stdout; exit 1 when Docker cannot run.
#   engine.sh down    stop the private dockerd (never the user's engine).
#   engine.sh host    print the DOCKER_HOST of an engine that answers now; exit 1 when none does.
# KUBAEUM_NO_DOCKER=1 makes both say no engine (kind off, kwok serves).
# The private engine is never a change to the user's Docker: its own socket, config file,
# data-root, exec-root, pidfile and bridge (kubaeum0), all under the cache folder.
# Where the host's capability bounding set lacks a capability privileged containers ask for
# (CAP_SYS_RESOURCE on some VMs), privileged containers -- and so kind nodes -- cannot start
# with plain runc; the private engine then uses containers/runtime-wrapper (see its comment)
# as its default runtime.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBAEUM_CACHE_DIR:-$HOME/.cache/kubaeum}"
dir="$cache/docker"
sock="$dir/docker.sock"
private_host="unix://$sock"
bridge=kubaeum0
bridge_cidr="${KUBAEUM_DOCKER_BRIDGE_CIDR:-172.30.0.1/24}"
pools_base="${KUBAEUM_DOCKER_POOLS:-172.31.0.0/16}"

say() { echo "docker: $*" >&2; }

answers() {  # answers <DOCKER_HOST or empty for the CLI's default>
  if [ -n "$1" ]; then DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
  else (unset DOCKER_HOST; timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1); fi
}

user_host() {  # the user's engine: $DOCKER_HOST when set, else the CLI's default socket
  if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != "$private_host" ]; then
    answers "$DOCKER_HOST" && { echo "$DOCKER_HOST"; return 0; }
    return 1
  fi
  if command -v docker >/dev/null 2>&1 && answers ""; then
    echo "unix:///var/run/docker.sock"; return 0
  fi
  return 1
}

private_running() { [ -S "$sock" ] && command -v docker >/dev/null 2>&1 && answers "$private_host"; }

cannot_run() {
  say "Docker를 실행할 수 없어 kind(실제 컨테이너)를 쓸 수 없습니다. kwok로 계속합니다: $*"
  say "Docker cannot run here, so kind (real containers) is unavailable and kwok serves: $*"
  exit 1
}

build_wrapper() {
  local out="$cache/bin/kubaeum-runc"
  local stamp; stamp="$(cat "$here/runtime-wrapper/main.go" "$here/runtime-wrapper/go.mod" | sha256sum | cut -c1-16)"
  if [ -x "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then echo "$out"; return 0; fi
  command -v go >/dev/null 2>&1 || cannot_run "Go is needed to build the runtime wrapper"
  mkdir -p "$cache/bin"
  (cd "$here/runtime-wrapper" && GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOTOOLCHAIN=local \
    CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out.tmp" .) || cannot_run "building the runtime wrapper failed"
  mv "$out.tmp" "$out"; echo "$stamp" > "$out.stamp"; echo "$out"
}

# Every kind node runs systemd and a kubelet, each holding several inotify instances; at the
# kernel's default of 128 per user the fifth or sixth cluster on a host cannot start (kubeadm
# init fails). kind's known-issues page gives these values; only ever raised, never lowered.
raise_inotify_limits() {
  local key want have
  for key in fs.inotify.max_user_instances=1024 fs.inotify.max_user_watches=524288; do
    want="${key#*=}"; key="${key%%=*}"
    have="$(sysctl -n "$key" 2>/dev/null || echo 0)"
    [ "$have" -ge "$want" ] && continue
    if [ "$(id -u)" = 0 ] && sysctl -qw "$key=$want" 2>/dev/null; then
      say "raised $key from $have to $want (several kind clusters need more than the default)"
    else
      say "$key is $have: only a few kind clusters can run at once (as root: sysctl -w $key=$want)"
    fi
  done
}

up() {
  local h
  [ -n "${KUBAEUM_NO_DOCKER:-}" ] && cannot_run "KUBAEUM_NO_DOCKER is set"
  raise_inotify_limits
  if h="$(user_host)"; then say "using the Docker engine that answers at $h"; echo "$h"; return 0; fi
  if private_running; then say "private engine already running at $private_host"; echo "$private_host"; return 0; fi
  if [ "$(id -u)" != 0 ]; then cannot_run "no engine answers, and a private dockerd needs root"; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || cannot_run "dockerd is not installed and apt-get is not available"
    say "installing Debian's docker.io (apt-get) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io >&2 \
      || cannot_run "apt-get install docker.io failed"
  fi
  command -v docker >/dev/null 2>&1 || cannot_run "the docker CLI is missing"
  local wrapper; wrapper="$(build_wrapper)"
  mkdir -p "$dir/data" "$dir/exec"
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge || cannot_run "cannot create the bridge $bridge"
    ip addr add "$bridge_cidr" dev "$bridge"
  fi
  ip link set "$bridge" up
  cat > "$dir/daemon.json" <<JSON
{
  "hosts": ["$private_host"],
  "data-root": "$dir/data",
  "exec-root": "$dir/exec",
  "pidfile": "$dir/dockerd.pid",
  "bridge": "$bridge",
  "default-address-pools": [{"base": "$pools_base", "size": 24}],
  "storage-driver": "overlay2",
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m", "max-file": "2"},
  "runtimes": {"kubaeum-runc": {"path": "$wrapper"}},
  "default-runtime": "kubaeum-runc"
}
JSON
  say "starting a private dockerd ($private_host, log: $dir/dockerd.log) ..."
  # setsid: the engine outlives this script; `engine.sh down` stops it by its pidfile.
  setsid dockerd --config-file "$dir/daemon.json" >"$dir/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 120); do
    if private_running; then say "private engine ready"; echo "$private_host"; return 0; fi
    if ! kill -0 $! 2>/dev/null; then break; fi
    sleep 0.5
  done
  tail -5 "$dir/dockerd.log" >&2 || true
  cannot_run "the private dockerd did not start (see $dir/dockerd.log)"
}

down() {
  local pid
  [ -n "${KUBAEUM_NO_DOCKER:-}" ] && return 0  # said there was no engine: nothing of ours to stop
  pid="$(cat "$dir/dockerd.pid" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then say "no private engine running"; return 0; fi
  say "stopping the private dockerd (pid $pid) ..."
  kill "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || { say "stopped"; return 0; }; sleep 0.5; done
  say "the private dockerd did not stop within 30 s (pid $pid)"; return 1
}

host() {
  [ -n "${KUBAEUM_NO_DOCKER:-}" ] && return 1
  user_host && return 0
  private_running && { echo "$private_host"; return 0; }
  return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  host) host ;;
  *) echo "usage: $0 up|down|host" >&2; exit 2 ;;
esac
