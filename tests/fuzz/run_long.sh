#!/usr/bin/env bash
# Grows the fuzz corpora kept in tests/fuzz/corpus/ with runs far longer than CI's replay, and
# keeps only a minimized corpus (-merge=1) in the checkout. Run it before each stop of work on
# a parser; CI (scripts/test.sh) only replays the corpora for a few seconds.
#
#   tests/fuzz/run_long.sh [RUNS] [TARGET...]     RUNS per target, default 2000000
#   DGW_FUZZ_SECONDS=600 tests/fuzz/run_long.sh 0 [TARGET...]   ten minutes each instead
#   DGW_FUZZ_TIMEOUT=60 ...   seconds one input may take (default 10; more when the run is niced
#                             behind a build, whose starved runs are no hang)
#
# Builds the `fuzz-long` preset (the targets optimised, still with ASan and UBSan), runs each
# target (all by default) with `nice` on a copy of its corpus, merges what it found into a
# fresh minimized corpus that replaces the old one, and appends a line per target to
# tests/fuzz/runs.tsv: the date, the target, the executions, the seconds, the corpus size.
# A crash stops the script; its input is left in tests/fuzz/crashes/ to become a regression
# test (a unit test with the input, and the input added to the corpus).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
runs=${1:-2000000}
shift || true

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
if [ "${DGW_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  cmake --preset fuzz-long >/dev/null
  nice cmake --build --preset fuzz-long -j "${DGW_JOBS:-2}" >/dev/null
fi
limit=(-runs="$runs")
[ -n "${DGW_FUZZ_SECONDS:-}" ] && limit=(-max_total_time="$DGW_FUZZ_SECONDS")

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in build/fuzz-long/tests/fuzz/*_fuzz; do targets+=("$(basename "$t")"); done
fi
mkdir -p tests/fuzz/crashes
[ -f tests/fuzz/runs.tsv ] || printf 'date\ttarget\texecutions\tseconds\tcorpus_files\n' > tests/fuzz/runs.tsv

for target in "${targets[@]}"; do
  bin="build/fuzz-long/tests/fuzz/$target"
  corpus="tests/fuzz/corpus/$target"
  mkdir -p "$corpus"
  work=$(mktemp -d)
  merged=$(mktemp -d)
  cp -r "$corpus/." "$work/" 2>/dev/null || true
  start=$(date +%s)
  log="$work.log"
  if ! nice -n 19 "$bin" "${limit[@]}" -timeout="${DGW_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="tests/fuzz/crashes/$target-" "$work" >"$log" 2>&1; then
    echo "run_long: $target crashed; see tests/fuzz/crashes/ and $log" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  seconds=$(( $(date +%s) - start ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  nice -n 19 "$bin" -merge=1 "$merged" "$corpus" "$work" >/dev/null 2>&1
  rm -rf "$corpus" && mkdir -p "$corpus" && cp "$merged"/* "$corpus"/ 2>/dev/null || true
  files=$(ls "$corpus" | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$target" "${executions:-0}" \
    "$seconds" "$files" >> tests/fuzz/runs.tsv
  echo "run_long: $target: ${executions:-0} executions in ${seconds} s, corpus $files files"
  rm -rf "$work" "$merged" "$log"
done
# Executions accumulated per target over every recorded run.
awk -F'\t' 'NR > 1 { n[$2] += $3 } END { for (t in n) printf "run_long: %s: %d executions in all\n", t, n[t] }' \
  tests/fuzz/runs.tsv | sort
