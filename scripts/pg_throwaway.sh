#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start DIR` makes a new cluster in a temporary
# folder (initdb, trust on loopback only, durability off: it is thrown away), starts it on a
# free port and writes its URL to DIR/url; `stop DIR` stops it and deletes it. Run as root, the
# server runs as `nobody` (PostgreSQL refuses to run as root). ctest starts and stops it as the
# `postgres` fixture (tests/CMakeLists.txt); scripts/test.sh needs nothing more.
# DGW_PG_DURABLE=1 keeps PostgreSQL's durability on (fsync, synchronous commit, full pages), as a
# benchmark against SQLite's synchronous=FULL needs. DGW_PG_OPTIONS adds server options, e.g.
# "-c shared_preload_libraries=pg_stat_statements" to see what each statement costs.
set -euo pipefail

cmd=${1:?usage: pg_throwaway.sh start|stop DIR}
dir=${2:?usage: pg_throwaway.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg_throwaway: no PostgreSQL server (run scripts/setup.sh)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u nobody --); fi

stop() {
  if [ -f "$dir/data_dir" ]; then
    local data
    data=$(cat "$dir/data_dir")
    if [ -f "$data/postmaster.pid" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$(dirname "$data")"
  fi
  rm -f "$dir/url" "$dir/data_dir"
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "pg_throwaway: unknown command $cmd" >&2; exit 2 ;;
esac

stop  # a server a killed run left behind
mkdir -p "$dir"
base=$(mktemp -d /tmp/dgw-pg.XXXXXX)
chmod 755 "$base"
[ ${#as_owner[@]} -eq 0 ] || chown nobody "$base"
echo "$base/data" >"$dir/data_dir"
"${as_owner[@]}" "$bin/initdb" -D "$base/data" -U dgw -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; exit 1; }

durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${DGW_PG_DURABLE:-0}" != 1 ] || durability=""

# A free port: one nothing answers on, tried until the server starts on it.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  port=$(( 20000 + RANDOM % 20000 ))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 30 \
       -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base \
           $durability -c max_connections=200 ${DGW_PG_OPTIONS:-}" start >/dev/null; then
    echo "postgresql://dgw@127.0.0.1:$port/postgres" >"$dir/url"
    echo "pg_throwaway: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port"
    exit 0
  fi
done
cat "$base/server.log" >&2
echo "pg_throwaway: the server did not start" >&2
exit 1
