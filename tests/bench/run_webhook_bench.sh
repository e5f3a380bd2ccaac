#!/usr/bin/env bash
# Builds the release gateway and runs the webhook load benchmark at 1, 16 and 64 connections
# (Telegram updates from many chats walking through real conversations, replies to a mock Bot
# API). Prints one JSON line per connection count. Figures, not assertions.
# DGW_BENCH_POSTGRES=1: the same load then on a gateway whose store is on PostgreSQL (a throwaway
# server with durability on, started and deleted here), and PostgreSQL/SQLite ratios; then on
# DGW_BENCH_GATEWAYS (default 3) gateways sharing that database, the connections spread over them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target dialogue-gateway webhook_bench >/dev/null
postgres=()
if [ "${DGW_BENCH_POSTGRES:-0}" = 1 ]; then
  pgdir=$(mktemp -d)
  trap 'scripts/pg_throwaway.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  DGW_PG_DURABLE=1 scripts/pg_throwaway.sh start "$pgdir" >&2
  postgres=(--postgres "$(cat "$pgdir/url")" --gateways "${DGW_BENCH_GATEWAYS:-3}")
fi
build/release/tests/bench/webhook_bench --gateway build/release/dialogue-gateway --source "$root" \
  --seconds "${DGW_BENCH_SECONDS:-10}" --connections "${DGW_BENCH_CONNECTIONS:-1,16,64}" \
  --synchronous "${DGW_BENCH_SYNCHRONOUS:-full}" "${postgres[@]}"
