#!/usr/bin/env bash
# Runs every fuzz target (lint, fix, edits) for a bounded time (default 60 seconds each).
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
# cargo-fuzz is installed from crates.io when missing. The targets build with the stable
# toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz pass its flags) and without a sanitizer.
#
# Each target reads its seeds (fuzz/seeds/drafts for lint and fix, fuzz/seeds/edits for edits)
# and keeps what it finds in fuzz/corpus/TARGET (not in git), so a later run starts where the
# last one stopped. A crash, timeout or out-of-memory makes the script fail; the input that
# caused it is in fuzz/artifacts/TARGET, named in the output. Longer runs: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(lint fix edits)
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1
mkdir -p logs
for target in "${targets[@]}"; do
    case "$target" in
        edits) seeds=seeds/edits ;;
        *) seeds=seeds/drafts ;;
    esac
    mkdir -p "corpus/$target"
    log="logs/$target.log"
    echo "== fuzz $target for ${seconds}s (seeds: fuzz/$seeds, corpus: fuzz/corpus/$target)"
    # The first folder receives new inputs; the seeds are only read.
    status=0
    cargo fuzz run "$target" --sanitizer none "corpus/$target" "$seeds" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    grep -E "^(Done|#[0-9]+.*(INITED|DONE))|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $target failed (exit $status); the end of fuzz/$log:" >&2
        tail -n 40 "$log" >&2
        echo "the panic, if any:" >&2
        grep -A 2 "panicked at" "$log" | head -n 12 >&2 || true
        echo "failing inputs: $(ls -d "$PWD/artifacts/$target"/* 2>/dev/null | tr '\n' ' ')" >&2
        exit 1
    fi
done
