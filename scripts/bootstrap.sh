# Sourced by scripts/run and scripts/test: finds Python 3.12+, installs uv into a private
# bootstrap venv, and syncs the locked environment into .venv. Safe to run repeatedly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
    local candidates=(python3.13 python3.12 python3 python)
    local c
    for c in "${candidates[@]}" "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        # pyenv shims exist on PATH even when the version is not selected, so try each one.
        if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            "$c" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

if ! PYTHON="$(find_python)"; then
    echo "CareDesk needs Python 3.12 or newer (Django 6 requires it), and none was found." >&2
    echo "Install python3.12 or python3.13 (e.g. 'apt-get install python3.12' or pyenv) and try again." >&2
    exit 1
fi

UV_HOME="$ROOT/.cache/uv-bootstrap"
if [ ! -x "$UV_HOME/bin/uv" ]; then
    echo "CareDesk: installing uv with $PYTHON" >&2
    "$PYTHON" -m venv "$UV_HOME"
    "$UV_HOME/bin/pip" install --quiet --disable-pip-version-check "uv>=0.8,<1"
fi
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$ROOT/.cache/uv}"
"$UV_HOME/bin/uv" sync --quiet --frozen --python "$PYTHON"
VENV_BIN="$ROOT/.venv/bin"
