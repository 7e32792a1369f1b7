#!/usr/bin/env bash
# The end-to-end suite: drives the built `copydesk server` over stdio from pytest-lsp, an
# independent LSP client, with the capabilities of VS Code, Neovim and Emacs.
#
# Installs its client into a virtual environment (target/e2e-venv, PyPI only), builds the
# binary unless COPYDESK_BIN names one, and runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
venv="$root/target/e2e-venv"
requirements="$root/tests/e2e/requirements.txt"
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    echo "== installing the e2e client into $venv"
    if ! python3 -c "import venv, ensurepip" 2>/dev/null && command -v apt-get >/dev/null; then
        apt-get install -y -q python3-venv >/dev/null
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi
if [ -z "${COPYDESK_BIN:-}" ]; then
    cargo build --quiet --bin copydesk
    export COPYDESK_BIN="$root/target/debug/copydesk"
fi
COPYDESK_BIN=$(realpath "$COPYDESK_BIN")
export COPYDESK_BIN
echo "== e2e suite against $COPYDESK_BIN"
cd "$root/tests/e2e"
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/pytest" -q -p no:cacheprovider "$@"
