#!/usr/bin/env bash
# What this machine can do at most, measured without the durable pipeline: the release gateway
# answering GET /healthz, Telegram updates it verifies, parses and ignores (an edited message),
# and one update sent again and again (verified, parsed, found a duplicate by the store). For
# each: requests/s and, per request, the CPU time of the gateway and of the load generator, and
# how idle the machine was. These are the floors the full pipeline (webhook_bench) adds its
# work to; see README "Benchmarks". Figures, not assertions.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target dialogue-gateway http_load >/dev/null
seconds=${DGW_BENCH_SECONDS:-5}
connections=${DGW_BENCH_CONNECTIONS:-64}
dir=$(mktemp -d)
cat > "$dir/gateway.json" <<JSON
{"server": {"listen": "127.0.0.1:0", "max_connections": 4096, "max_connections_per_address": 0},
 "metrics": {"listen": ""}, "log": {"level": "error"},
 "store": {"sqlite": {"path": "$dir/dgw.sqlite"}},
 "channels": [{"id": "telegram", "type": "telegram", "bot_token": "5550003333:AAFfloorTokenForBench_0123456789ab",
               "secret_token": "floor-secret", "api_base": "http://127.0.0.1:9"}]}
JSON
# {n} is replaced by http_load with a number unique to each request.
echo '{"update_id": {n}, "edited_message": {"message_id": 5, "date": 1790000000, "edit_date": 1790000001, "chat": {"id": 77, "type": "private", "first_name": "B"}, "from": {"id": 77, "is_bot": false, "first_name": "B"}, "text": "xin chao"}}' > "$dir/ignored.json"
echo '{"update_id": 1, "message": {"message_id": 5, "date": 1790000000, "chat": {"id": 77, "type": "private", "first_name": "B"}, "from": {"id": 77, "is_bot": false, "first_name": "B"}, "text": "xin chao"}}' > "$dir/duplicate.json"
build/release/dialogue-gateway serve --config "$dir/gateway.json" > "$dir/out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/out" | head -1)
tick=$(getconf CLK_TCK)
gateway_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
idle_ticks() { awk '/^cpu / {print $5 + $6; exit}' /proc/stat; }
all_ticks() { awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print s; exit}' /proc/stat; }
run() {  # name, then http_load arguments
  local name=$1; shift
  local g0 i0 a0 out
  g0=$(gateway_ticks); i0=$(idle_ticks); a0=$(all_ticks)
  out=$(build/release/tests/bench/http_load --connections "$connections" --seconds "$seconds" "$@")
  python3 - "$name" "$out" "$(( $(gateway_ticks) - g0 ))" "$(( $(idle_ticks) - i0 ))" \
    "$(( $(all_ticks) - a0 ))" "$tick" <<'PY'
import json, sys
name, out, gw, idle, total, tick = sys.argv[1], json.loads(sys.argv[2]), *map(int, sys.argv[3:])
n = max(out["requests"], 1)
print(json.dumps({"floor": name, "connections": out["connections"],
                  "requests_per_second": round(out["requests_per_second"]),
                  "p50_ms": out["p50_ms"], "p99_ms": out["p99_ms"], "statuses": out["statuses"],
                  "gateway_cpu_us_per_request": round(gw * 1e6 / tick / n, 1),
                  "client_cpu_us_per_request": round(out["client_cpu_us_per_request"], 1),
                  "machine_idle_percent": round(100 * idle / max(total, 1), 1)}))
PY
}
webhook=(--url "http://127.0.0.1:$port/webhooks/telegram" --method POST
         --header "Content-Type: application/json" --header "X-Telegram-Bot-Api-Secret-Token: floor-secret")
run healthz --url "http://127.0.0.1:$port/healthz"
run ignored_update "${webhook[@]}" --body-file "$dir/ignored.json"
run duplicate_update "${webhook[@]}" --body-file "$dir/duplicate.json"
