#!/usr/bin/env bash
# History index benchmarks (DESIGN.md §12) on a repository of COMMITS generated commits (default
# 5,000, made with `git fast-import`), printed as rows of scripts/bench's table: the first index
# (a whole `telar provenance` process on an empty store) against `git log --name-status` on the
# same repository (budget ≤ 2×), the incremental index after one more commit (budget ≤ 50 ms;
# exactly 1 commit indexed), and a warm `telar provenance` query.
# Usage: bench_history.sh BIN_DIR WORK_DIR REPEAT [COMMITS]
set -euo pipefail
bin=$1 work=$2 repeat=$3 commits=${4:-5000}
mkdir -p "$work"
repo="$work/history-$commits"
export TELAR_HOME="$work/history-home-$commits"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
rm -rf "$repo" "$TELAR_HOME"
git init -q -b main "$repo"

# Commits by 5 people over 20 modules of 10 files each; every 50th commit renames a file.
python3 - "$commits" <<'PY' | git -C "$repo" fast-import --quiet
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
people = ["Amara Okafor <amara@x.example>", "Bruno Silva <bruno@x.example>", "Chen Wei <chen@x.example>",
          "Dana Kowalski <dana@x.example>", "Eve Tester <eve@x.example>"]
names = {}
def data(b):
    out.write(b"data %d\n" % len(b) + b + b"\n")
for i in range(1, n + 1):
    who = people[i % len(people)]
    t = 1767225600 + i * 600
    out.write(b"commit refs/heads/main\nmark :%d\n" % i)
    out.write(("author %s %d +0000\ncommitter %s %d +0000\n" % (who, t, who, t)).encode())
    msg = "Change %d" % i
    if i % 97 == 0:
        msg += "\n\nCo-authored-by: " + people[(i + 1) % len(people)]
    data(msg.encode())
    if i > 1:
        out.write(b"from :%d\n" % (i - 1))
    mod, f = i % 20, (i // 20) % 10
    key = (mod, f)
    path = names.get(key, "mod%02d/part%02d.step" % key)
    if i % 50 == 0 and i > 200:
        new = "mod%02d/part%02d-r%d.step" % (mod, f, i)
        out.write(("R %s %s\n" % (path, new)).encode())
        names[key] = new
    else:
        out.write(("M 100644 inline %s\n" % path).encode())
        data((("ISO-10303-21; part %d %d revision %d\n" % (mod, f, i)) * (1 + i % 40)).encode())
    if i % 200 == 1:
        out.write(("M 100644 inline mod%02d/module.toml\n" % mod).encode())
        data(('[module]\nname = "Module %d"\nversion = "1.%d.0"\n' % (mod, i)).encode())
PY
git -C "$repo" checkout -q main

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { printf '| %-52s | %14s | %14s | %8s | %s |\n' "$1" "$2" "$3" "$4" "$5"; }
indexed() { python3 -c 'import json,sys; print(json.load(sys.stdin)["index"]["indexed"])'; }

gitlog=()
for _ in $(seq "$repeat"); do
  start=$(now); git -C "$repo" log --name-status >/dev/null; gitlog+=("$(echo "$(now) - $start" | bc -l)")
done
git_s=$(printf '%s\n' "${gitlog[@]}" | median)

# The first build, REPEAT times on a fresh store each (median); telar's JSON goes to a file and
# is read afterwards, so the timing holds the telar process only.
firsts=()
for _ in $(seq "$repeat"); do
  rm -rf "$TELAR_HOME"
  start=$(now); "$bin/telar" --repo "$repo" --quiet provenance mod03 --json >"$work/first.json"
  firsts+=("$(echo "$(now) - $start" | bc -l)")
done
first=$(printf '%s\n' "${firsts[@]}" | median)
first_n=$(indexed <"$work/first.json")
row "history index, first build, ${commits} commits (wall s)" "$(printf %.3f "$first")" "$(printf %.3f "$git_s")" \
    "$(echo "$first / $git_s" | bc -l | xargs printf %.2f)" "peer: git log --name-status; budget ≤ 2×; indexed $first_n"

warm=()
for _ in $(seq $((repeat * 2 + 1))); do
  start=$(now); "$bin/telar" --repo "$repo" --quiet provenance mod03 --json >/dev/null; warm+=("$(echo "$(now) - $start" | bc -l)")
done
row "telar provenance MODULE, warm (wall s)" "$(printf %.3f "$(printf '%s\n' "${warm[@]}" | median)")" "" "" "whole process, index up to date"

echo "one more" >> "$repo/mod03/notes.txt"
git -C "$repo" add -A
GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@x.example GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@x.example \
  git -C "$repo" commit -q -m "One more commit"
start=$(now)
"$bin/telar" --repo "$repo" --quiet provenance mod03 --json >"$work/one.json"
one=$(echo "$(now) - $start" | bc -l)
one_n=$(indexed <"$work/one.json")
row "history index after one more commit (wall s)" "$(printf %.3f "$one")" "" "" "whole process incl. query; budget ≤ 50 ms for the index"
row "commits indexed after one more commit" "$one_n" "" "" "budget: exactly 1"
