#!/usr/bin/env bash
# Set up what is missing: uv, a Python 3.10 interpreter, the locked virtualenv.
# Idempotent and quick when nothing changed (uv checks the lock in about a second).
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS="${UV_PYTHON_DOWNLOADS:-never}"

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  # 1. a working python3.10 on PATH (a pyenv shim for a version not selected fails here)
  if command -v python3.10 >/dev/null 2>&1 && is_310 python3.10; then command -v python3.10; return; fi
  # 2. pyenv's installed versions, newest 3.10 first
  if command -v pyenv >/dev/null 2>&1; then
    for py in $(ls -d "$(pyenv root)"/versions/3.10*/bin/python3.10 2>/dev/null | sort -rV); do
      if is_310 "$py"; then echo "$py"; return; fi
    done
  fi
  # 3. an interpreter uv already manages
  local found
  if found=$($UV python find 3.10 2>/dev/null) && is_310 "$found"; then echo "$found"; return; fi
  # 4. let uv fetch one where the network allows
  if UV_PYTHON_DOWNLOADS=automatic timeout 120 $UV python install 3.10 >&2 2>/dev/null \
     && found=$($UV python find 3.10 2>/dev/null); then echo "$found"; return; fi
  return 1
}

if command -v uv >/dev/null 2>&1; then
  UV=uv
elif python3 -m uv --version >/dev/null 2>&1; then
  UV="python3 -m uv"
else
  echo "setup: installing uv with pip" >&2
  python3 -m pip install --quiet --disable-pip-version-check uv >&2
  UV="python3 -m uv"
fi

if ! PYTHON=$(find_python); then
  cat >&2 <<'MSG'
setup: no Python 3.10 interpreter found, and none could be downloaded.
Rasa 3.6 runs on Python 3.8-3.10 only. Install Python 3.10 (for example `pyenv install 3.10`
or your system's python3.10 package) and run the command again.
MSG
  exit 1
fi

$UV sync --frozen --quiet --python "$PYTHON"
