#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 seconds each), seeded from fuzz/seeds.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
# cargo-fuzz is installed from crates.io when missing. The targets build with the stable
# toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz pass its flags) and without a sanitizer.
# Longer runs: fuzz/run.sh 3600 fix
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list 2>/dev/null || sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v copydesk-fuzz)
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "== fuzz $target for ${seconds}s"
    cargo fuzz run "$target" --sanitizer none -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 seeds 2>&1 \
        | grep -E "^(Done|#[0-9]+.*(INITED|DONE))|panicked|SUMMARY|ERROR|crash-" || true
    if [ -n "$(ls -A artifacts/"$target" 2>/dev/null)" ]; then
        echo "fuzz target $target found crashes: $(ls artifacts/"$target")" >&2
        exit 1
    fi
done
