#!/usr/bin/env bash
# Print the newest CPython >= 3.12 found on PATH or in pyenv; explain and fail otherwise.
for cand in python3.14 python3.13 python3.12 python3; do
  p="$(command -v "$cand" 2>/dev/null)" || continue
  if "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$p"; exit 0
  fi
done
root="${PYENV_ROOT:-$HOME/.pyenv}"
best="$(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | grep -E '/3\.[0-9]+\.[0-9]+$' | sort -V | tail -1)"
if [ -n "$best" ] && [ -x "$best/bin/python3" ]; then
  echo "$best/bin/python3"; exit 0
fi
echo "Kubaeum needs Python 3.12 or newer (Django 6). Install one, e.g. 'pyenv install 3.13' or 'apt-get install python3.13 python3.13-venv', then run make again." >&2
exit 1
