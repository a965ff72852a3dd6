#!/usr/bin/env bash
# Inbox benchmark (issue #2): generate N notes with `bearing gen`, then load
# the inbox's first page over the JSON API and as HTML with wrk, 16
# connections from 127.0.0.1, on SQLite and on a throwaway PostgreSQL.
#
#   bench/inbox.sh [NOTES] [DURATION]      defaults: 1000000 notes, 20s
#   BACKENDS="sqlite" bench/inbox.sh       one backend only
#
# Prints gen throughput and wrk's latency distribution (p50/p90/p99) for each
# target; results go to bench/out/. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
NOTES="${1:-1000000}"
DURATION="${2:-20s}"
BACKENDS="${BACKENDS:-sqlite postgres}"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

cargo build --release -p bearing
BIN="${CARGO_TARGET_DIR:-target}/release/bearing"
PORT=18080
PIDS=()
PG_DIR=""
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -n "$PG_DIR" ] && scripts/pg-throwaway stop "$PG_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT

run_one() {
  local backend="$1" url="$2"
  echo "==> $backend: generating $NOTES notes"
  /usr/bin/time -f "gen wall %es, max RSS %MKB" $BIN --database "$url" gen --notes "$NOTES" 2>&1 | tail -2 | tee "$OUT/$backend-gen.txt"
  local token
  token=$($BIN --database "$url" token create --email admin@bearing.local --name bench 2>/dev/null)
  $BIN --database "$url" serve --bind 127.0.0.1:$PORT >"$OUT/$backend-server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  # Sign in for the HTML page: the session cookie comes back on the redirect.
  local cookie
  cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$PORT/signin" \
    --data-urlencode "email=admin@bearing.local" --data-urlencode "password=bearing-demo" --data-urlencode "next=/inbox" \
    | grep -i '^set-cookie: bearing_session=' | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
  curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/notes?state=unprocessed" | head -c 200; echo
  echo "==> $backend: API first page, 16 connections, $DURATION"
  wrk -t2 -c16 -d"$DURATION" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/api/v1/notes?state=unprocessed" | tee "$OUT/$backend-api.txt"
  echo "==> $backend: HTML inbox, 16 connections, $DURATION"
  wrk -t2 -c16 -d"$DURATION" --latency -H "Cookie: $cookie" \
    "http://127.0.0.1:$PORT/inbox" | tee "$OUT/$backend-html.txt"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
}

for b in $BACKENDS; do
  case "$b" in
    sqlite)
      rm -f "$OUT"/bench.db*
      run_one sqlite "sqlite://$PWD/$OUT/bench.db" ;;
    postgres)
      eval "$(scripts/pg-throwaway start)"
      run_one postgres "$PG_URL" ;;
  esac
done
echo "==> machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%F)"
