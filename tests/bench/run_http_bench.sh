#!/usr/bin/env bash
# Starts the release gateway on a free loopback port and loads GET /healthz at 1, 16 and 64
# connections, printing one JSON line per run plus the gateway's RSS. Figures, not assertions.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target dialogue-gateway http_load >/dev/null
dir=$(mktemp -d)
cat > "$dir/gateway.json" <<JSON
{"server": {"listen": "127.0.0.1:0", "max_connections": 4096, "max_connections_per_address": 0},
 "metrics": {"listen": ""}, "log": {"level": "warn"}}
JSON
build/release/dialogue-gateway serve --config "$dir/gateway.json" > "$dir/out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/out" | head -1)
for c in 1 16 64; do
  build/release/tests/bench/http_load --url "http://127.0.0.1:$port/healthz" \
    --connections "$c" --seconds "${DGW_BENCH_SECONDS:-5}"
done
echo "{\"gateway_rss_kb\": $(awk '/VmRSS/ {print $2}' /proc/$pid/status)}"
