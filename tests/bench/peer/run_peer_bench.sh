#!/usr/bin/env bash
# The gateway next to a peer and a ceiling, under the same webhook load (webhook_bench: Telegram
# updates from many chats walking through the shipped conversation, update ids unique):
#   gateway              the release gateway, SQLite with synchronous FULL, one I/O thread
#                        (DGW_BENCH_GATEWAY_THREADS), its replies sent over HTTP to
#                        webhook_bench's mock Bot API
#   grammy               bot.js here: grammY + @grammyjs/conversations walking a conversation
#                        as long, its replies sent over HTTP to the same mock; state in memory
#   grammy_sends_nothing the same bot, its Bot API calls answered in its own process
#   beast_static         static_answer: a Beast server answering every request with a fixed 200
# Each server runs on CPU 0 (DGW_BENCH_SERVER_CPU), the load generator and the mock Bot API on
# CPU 1 (DGW_BENCH_LOAD_CPU), at 16 and 64 connections (DGW_BENCH_CONNECTIONS) for
# DGW_BENCH_SECONDS (10) each, after DGW_BENCH_WARMUP (3) seconds of load not reported. Prints
# one JSON line per server and connection count (webhooks/s, also counted until the last reply
# was sent, p50/p99, replies per webhook, the server's CPU time per webhook, the machine's load
# average as the run began: taskset keeps nothing else off these CPUs), then the ratios
# gateway/grammY and gateway/Beast. Figures, not assertions.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release --target dialogue-gateway webhook_bench static_answer >/dev/null
peer="$root/tests/bench/peer"
[ -d "$peer/node_modules" ] || (cd "$peer" && npm ci --no-audit --no-fund >&2)
node=$(command -v node)
bench="$root/build/release/tests/bench"

# webhook_bench's temp dirs (the gateway's config and SQLite file) go in here too.
work=$(mktemp -d)
export TMPDIR="$work"
running=""
cleanup() {
    if [ -n "$running" ] && kill -0 "$running" 2>/dev/null; then
        # webhook_bench's children (the server under load) first: killed, it cannot stop them.
        for child in $(ps -o pid= --ppid "$running"); do kill "$child" 2>/dev/null || true; done
        kill "$running" 2>/dev/null || true
        wait "$running" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run() {  # name, what its state is, then webhook_bench's arguments
    local name=$1 state=$2 load
    shift 2
    load=$(cut -d' ' -f1 /proc/loadavg)
    taskset -c "${DGW_BENCH_LOAD_CPU:-1}" "$bench/webhook_bench" \
        --server-cpus "${DGW_BENCH_SERVER_CPU:-0}" --seconds "${DGW_BENCH_SECONDS:-10}" \
        --connections "${DGW_BENCH_CONNECTIONS:-16,64}" --warmup "${DGW_BENCH_WARMUP:-3}" "$@" \
        > "$work/$name.out" &
    running=$!
    wait "$running"
    running=""
    python3 - "$name" "$state" "$work/$name.out" "$load" <<'PY' | tee -a "$work/all"
import json, sys
name, state, path, load = sys.argv[1:]
for line in open(path):
    r = json.loads(line)
    n = max(r["webhooks"], 1)
    cpu = r.get("server_cpu_us_per_webhook", r.get("gateway_cpu_us_per_webhook"))
    out = {"server": name, "connections": r["connections"],
           "webhooks_per_second": round(r["webhooks_per_second"]),
           "p50_ms": round(r["p50_ms"], 2), "p99_ms": round(r["p99_ms"], 2),
           "errors": r["errors"], "replies_per_webhook": round(r["replies_delivered"] / n, 3),
           "server_cpu_us_per_webhook": round(cpu), "state": state,
           "load_average_at_start": float(load)}
    # The gateway answers a webhook before it replies: how long its replies lagged behind the
    # load, and the rate counted until the last reply was sent (grammY replies before it answers).
    drain = r.get("drain_seconds", 0)
    if "drain_seconds" in r:
        out["drain_seconds"] = round(drain, 2)
    out["webhooks_per_second_until_replied"] = round(r["webhooks"] / (r["seconds"] + drain))
    print(json.dumps(out))
PY
}

run gateway "durable: SQLite, synchronous FULL" --gateway "$root/build/release/dialogue-gateway" \
    --source "$root" --synchronous full --threads "${DGW_BENCH_GATEWAY_THREADS:-1}"
run grammy "in memory" --server \
    "$node $peer/bot.js --token {bot_token} --secret {secret} --api-root {bot_api}"
run grammy_sends_nothing "in memory, Bot API answered in process" --server \
    "$node $peer/bot.js --token {bot_token} --secret {secret} --sends-nothing"
run beast_static "none: a fixed 200" --server "$bench/static_answer"

python3 - "$work/all" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["server"], r["connections"]): r for r in rows}
for other in ("grammy", "grammy_sends_nothing", "beast_static"):
    for (server, c), g in sorted(by.items()):
        o = by.get((other, c))
        if server != "gateway" or o is None:
            continue
        ratio = lambda k: round(g[k] / o[k], 3) if o[k] else None
        print(json.dumps({"ratio": "gateway/" + other, "connections": c,
                          "webhooks_per_second": ratio("webhooks_per_second"),
                          "webhooks_per_second_until_replied":
                              ratio("webhooks_per_second_until_replied"),
                          "p50_ms": ratio("p50_ms"), "p99_ms": ratio("p99_ms")}))
PY
