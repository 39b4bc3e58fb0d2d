#!/usr/bin/env bash
# BOM benchmarks on a generated 1,000-part / 50-module product (DESIGN.md §12), printed as rows of
# scripts/bench's table: cold BOM (both cores), warm BOM (whole process, budget ≤ 0.3 s), and the
# number of files re-analysed after one CAD file changed (budget: exactly 1).
# Usage: bench_bom.sh BIN_DIR WORK_DIR REPEAT [MODULES PARTS]
set -euo pipefail
bin=$1 work=$2 repeat=$3 modules=${4:-50} parts=${5:-1000}
gen="$work/gen-$modules-$parts"
rm -rf "$gen"
"$bin/telar-example-gen" "$gen" --modules "$modules" --parts "$parts" >/dev/null
repo="$gen/generated"
export TELAR_HOME="$work/home-$modules-$parts"
rm -rf "$TELAR_HOME"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
analysed() { sed -n 's/^analysed \([0-9]*\) CAD file.*/\1/p' "$1" | tail -1; }
row() { printf '| %-52s | %14s | %14s | %8s | %s |\n' "$1" "$2" "$3" "$4" "$5"; }

start=$(now)
"$bin/telar" --repo "$repo" bom machine --format csv >/dev/null 2>"$work/cold.err" || true
cold=$(echo "$(now) - $start" | bc -l)
cold_files=$(analysed "$work/cold.err")
row "BOM ${parts} parts / ${modules} modules, cold (wall s)" "$(printf %.3f "$cold")" "" "" "analysed ${cold_files:-0} files, all cores"

times=()
for _ in $(seq $((repeat * 2 + 1))); do
  start=$(now)
  "$bin/telar" --repo "$repo" bom machine --format csv >/dev/null 2>/dev/null || true
  times+=("$(echo "$(now) - $start" | bc -l)")
done
warm=$(printf '%s\n' "${times[@]}" | median)
row "BOM ${parts} parts / ${modules} modules, warm (wall s)" "$(printf %.3f "$warm")" "" "" "budget ≤ 0.3 s, whole process"

# Change one CAD file (new bytes: its header's date), commit, and count re-analyses.
mapfile -t steps < <(cd "$repo" && git ls-files '*.step' | sort)
sed -i 's/2026-01-01T00:00:00/2026-02-02T00:00:00/' "$repo/${steps[0]}"
"$bin/telar" --repo "$repo" commit -m "Change one part" --author "Bench <bench@example.org>" >/dev/null
"$bin/telar" --repo "$repo" bom machine --format csv >/dev/null 2>"$work/one.err" || true
one=$(analysed "$work/one.err")
row "files re-analysed after one CAD file changed" "${one:-0}" "" "" "budget: exactly 1"
