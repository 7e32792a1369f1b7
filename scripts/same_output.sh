#!/usr/bin/env bash
# Checks that two builds of copydesk give byte-identical output: every finding, message, span,
# fix and diff. Use it for a change meant only to make copydesk faster.
#
#   scripts/same_output.sh OLD_BINARY NEW_BINARY [FOLDER...]
#
# Both binaries check the same drafts with every rule on, with JSON output and with
# `--diff --unsafe-fixes`: by default the repository's fixtures, test data and example, the
# fuzz corpora (copied under .md names, since check reads only Markdown files), a generated
# 4 MB folder of news drafts (benches/check.rs), and ../shared/corpus when it is there.
# Prints the first differences and exits 1 when the outputs differ.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/drafts"
if [ $# -gt 0 ]; then
    for folder in "$@"; do cp -r "$folder" "$work/drafts/"; done
else
    cp -r tests/fixtures tests/data examples/draft.md "$work/drafts/"
    [ -d ../shared/corpus ] && cp -r ../shared/corpus "$work/drafts/"
    mkdir -p "$work/drafts/fuzz"
    n=0
    for file in fuzz/corpus/lint/* fuzz/corpus/fix/*; do
        [ -f "$file" ] || continue
        n=$((n + 1))
        cp "$file" "$work/drafts/fuzz/$n.md"
    done
    COPYDESK_BENCH_MB=4 COPYDESK_BENCH_DIR="$work/drafts/generated" cargo bench --bench check >/dev/null 2>&1
fi
rules=$("$new" rules | awk '{print $1}' | paste -sd, -)
run() {
    local binary=$1 out=$2
    mkdir -p "$out"
    (
        cd "$work/drafts"
        "$binary" check --format json --select "$rules" . >"$out/all.json" 2>"$out/all.err" || true
        "$binary" check --format json . >"$out/default.json" 2>"$out/default.err" || true
        "$binary" check --diff --unsafe-fixes --select "$rules" . >"$out/diff.txt" 2>"$out/diff.err" || true
    )
}
run "$old" "$work/old"
run "$new" "$work/new"
status=0
for file in all.json all.err default.json default.err diff.txt diff.err; do
    if ! cmp -s "$work/old/$file" "$work/new/$file"; then
        echo "differs: $file"
        diff "$work/old/$file" "$work/new/$file" | head -20 || true
        status=1
    fi
done
[ $status -eq 0 ] && echo "same output on $(find "$work/drafts" -type f | wc -l) files"
exit $status
