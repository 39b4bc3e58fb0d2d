#!/usr/bin/env bash
# Desktop launch benchmark (DESIGN.md §12): time from launching `telar-desktop --repo` on a
# generated 1,000-part / 50-module product until the module tree and the product's BOM are shown,
# with a warm geometry cache (budget ≤ 1 s). The app measures itself (--exit-when-ready prints the
# milliseconds since the kernel started the process, shared libraries included); the whole
# process's wall time (start to exit) is measured here too. Offscreen (no display, no OpenGL), and
# under Xvfb (Mesa llvmpipe) when xvfb-run is installed. Printed as rows of scripts/bench's table.
# Usage: bench_desktop.sh BIN_DIR WORK_DIR REPEAT [MODULES PARTS]
set -euo pipefail
bin=$1 work=$2 repeat=$3 modules=${4:-50} parts=${5:-1000}
gen="$work/desk-gen-$modules-$parts"
rm -rf "$gen"
mkdir -p "$work"
"$bin/telar-example-gen" "$gen" --modules "$modules" --parts "$parts" >/dev/null
repo="$gen/generated"
export TELAR_HOME="$work/desk-home-$modules-$parts"
rm -rf "$TELAR_HOME"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { printf '| %-52s | %14s | %14s | %8s | %s |\n' "$1" "$2" "$3" "$4" "$5"; }
# Milliseconds from process start to ready (else from main()), from --exit-when-ready's output.
ready_ms() { sed -n 's/.*ready \([0-9]*\) ms after main()\(, \([0-9]*\) ms after the process started\)\{0,1\}.*/\1 \3/p' "$1" |
             awk '{print ($2 != "" ? $2 : $1)}'; }
bom_lines() { sed -n 's/.*BOM: \([0-9]*\) lines.*/\1/p' "$1"; }

launch() { # launch OUT [PREFIX…]: one run of the app, its output in OUT
  local out=$1
  shift
  "$@" "$bin/telar-desktop" --repo "$repo" --view bom --size 1200x800 --exit-when-ready >"$out" 2>"$out.err"
}

# The first launch fills the geometry cache (cold); the BOM must show every part.
QT_QPA_PLATFORM=offscreen launch "$work/desk-cold.out"
lines=$(bom_lines "$work/desk-cold.out")
if [[ "${lines:-0}" != "$parts" ]]; then
  echo "bench_desktop: expected a BOM of $parts lines, got '${lines:-none}':" >&2
  cat "$work/desk-cold.out" "$work/desk-cold.out.err" >&2
  exit 1
fi
row "desktop launch, ${parts} parts, cold cache (s)" "$(printf %.3f "$(echo "$(ready_ms "$work/desk-cold.out") / 1000" | bc -l)")" "" "" "analyses every CAD file once"

ready=() wall=()
for _ in $(seq $((repeat * 2 + 1))); do
  start=$(now)
  QT_QPA_PLATFORM=offscreen launch "$work/desk-warm.out"
  wall+=("$(echo "$(now) - $start" | bc -l)")
  ready+=("$(echo "$(ready_ms "$work/desk-warm.out") / 1000" | bc -l)")
done
row "desktop launch to tree + BOM, ${parts} parts, warm (s)" "$(printf %.3f "$(printf '%s\n' "${ready[@]}" | median)")" "" "" "budget ≤ 1 s; offscreen, $(bom_lines "$work/desk-warm.out") BOM lines"
row "  the same, whole process to exit (wall s)" "$(printf %.3f "$(printf '%s\n' "${wall[@]}" | median)")" "" "" "offscreen"

if command -v xvfb-run >/dev/null; then
  ready=()
  for _ in $(seq $((repeat * 2 + 1))); do
    QT_QPA_PLATFORM=xcb launch "$work/desk-xvfb.out" xvfb-run -a -s "-screen 0 1600x1200x24"
    ready+=("$(echo "$(ready_ms "$work/desk-xvfb.out") / 1000" | bc -l)")
  done
  row "desktop launch to tree + BOM, ${parts} parts, Xvfb (s)" "$(printf %.3f "$(printf '%s\n' "${ready[@]}" | median)")" "" "" "budget ≤ 1 s; X server, llvmpipe"
fi
