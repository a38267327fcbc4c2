#!/usr/bin/env bash
# Install what Kubaeum needs on a fresh Debian machine: system packages when missing,
# then .venv with the pinned Python packages. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ "${KUBAEUM_SKIP_BROWSER:-0}" != "1" ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  # Without a Korean font, browser-test screenshots show empty boxes instead of Hangul.
  [ -n "$(fc-list :lang=ko 2>/dev/null)" ] || need_apt+=(fonts-noto-cjk)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  # Debian starts redis-server as a service on install; Kubaeum runs its own on loopback.
fi

py="$(scripts/find-python.sh)"
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  echo "bootstrap: creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
stamp=.venv/.requirements.sha
sum="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  echo "bootstrap: installing Python packages from requirements-dev.txt (runtime + tests and tools)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements-dev.txt
  echo "$sum" > "$stamp"
fi
