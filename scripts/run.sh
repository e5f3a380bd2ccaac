#!/usr/bin/env bash
# Installs what is missing, builds the release gateway and serves it with the shipped config on
# http://127.0.0.1:8080 (data under ./var/). Ctrl-C stops it cleanly.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/setup.sh
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target dialogue-gateway
mkdir -p var
# exec: Ctrl-C and SIGTERM reach the gateway itself, which drains and exits 0.
exec build/release/dialogue-gateway serve --config "${DGW_CONFIG:-config/gateway.json}"
