#!/usr/bin/env bash
# Installs what is missing, builds the `ci` preset (Debug + ASan/UBSan + -Werror) and runs every
# test (all ctest labels), then runs each libFuzzer target briefly. Ends with ctest's summary.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/setup.sh

# ccache keyed on paths relative to the checkout, so a clone elsewhere (CI) reuses the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
jobs=${DGW_JOBS:-$(nproc)}

start=$(date +%s)
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
cmake --build --preset ci -j "$jobs" --target check_headers
echo "test: ci build took $(( $(date +%s) - start )) s"

if [ "${DGW_SKIP_FUZZ:-0}" != 1 ] && [ -n "$(ls tests/fuzz/*.cpp 2>/dev/null)" ]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  for target in build/fuzz/tests/fuzz/*_fuzz; do
    [ -x "$target" ] || continue
    corpus="tests/fuzz/corpus/$(basename "$target")"
    mkdir -p "$corpus"
    echo "test: fuzzing $(basename "$target") for ${DGW_FUZZ_SECONDS:-10} s"
    # A copy of the seed corpus: new inputs found here are not written into the checkout.
    work=$(mktemp -d)
    cp -r "$corpus/." "$work/" 2>/dev/null || true
    "$target" -max_total_time="${DGW_FUZZ_SECONDS:-10}" -rss_limit_mb=2048 -print_final_stats=0 \
      "$work" 2>&1 | tail -n 2
    rm -rf "$work"
  done
fi

start=$(date +%s)
ctest --preset ci -j "$jobs" "$@"
echo "test: ctest took $(( $(date +%s) - start )) s"
