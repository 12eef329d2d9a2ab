#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: system packages, the virtualenv,
# lint and type checks, then pytest (which starts a Docker engine when none runs).
set -euo pipefail
cd "$(dirname "$0")/.."

sh scripts/system-deps.sh

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
        # Debian's python3 ships venv separately
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
        rm -rf .venv
        "$python" -m venv .venv
    fi
fi
.venv/bin/python -m pip install -q --upgrade pip
# compat: a plain path entry, not an import hook that costs ~10 ms of every Python start-up
.venv/bin/python -m pip install -q -e '.[test]' --config-settings editable_mode=compat

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# the one-way layers of pyproject.toml [tool.importlinter]: an import against them fails here
.venv/bin/lint-imports --no-cache

exec .venv/bin/python -m pytest "$@"
