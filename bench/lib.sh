# Shared pieces of the benchmark scripts: build, a throwaway PostgreSQL,
# starting and stopping a server, and a wrk run that saves its output.
# Source it; set OUT (results folder) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$OUT"
# wrk, and the rum extension for PostgreSQL's ordered search (migration
# 0005), for the server scripts/test installed; one apt run for both.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
compgen -G '/usr/share/postgresql/*/extension/rum.control' >/dev/null ||
  missing+=("postgresql-$(basename "$(dirname "$(ls -d /usr/lib/postgresql/*/bin | head -1)")")-rum")
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
# BIN=/path/to/bearing drives a binary built elsewhere (say, an older commit's,
# to compare before and after); otherwise this checkout is built.
if [ -z "${BIN:-}" ]; then
  cargo build --release -p bearing
  BIN="${CARGO_TARGET_DIR:-target}/release/bearing"
fi
PORT="${PORT:-18080}"
SERVER_PID=""
PG_DIR=""
# The throwaway cluster's buffer cache, sized like a production server's
# (the test default is 128MB; the 1M-note tables are ~1 GB).
export PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-4GB}"

bench_cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$PG_DIR" ] && scripts/pg-throwaway stop "$PG_DIR" >/dev/null 2>&1 || true
}
trap bench_cleanup EXIT

# prepare BACKEND: start the throwaway PostgreSQL cluster when needed. Call
# it directly, not inside $(...): a subshell's PG_DIR would be lost and the
# exit trap could not stop the cluster.
prepare() {
  if [ "$1" = postgres ] && [ -z "$PG_DIR" ]; then eval "$(scripts/pg-throwaway start)"; fi
}

# database_url BACKEND NAME: a fresh database for BACKEND, echoed as a URL
# (after `prepare BACKEND`).
database_url() {
  case "$1" in
    sqlite) rm -f "$OUT/$2".db*; echo "sqlite://$PWD/$OUT/$2.db" ;;
    postgres)
      psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2" >/dev/null
      echo "${PG_URL%/*}/$2" ;;
  esac
}

# start_server URL: serve URL on $PORT and wait for /healthz.
start_server() {
  $BIN --database "$1" serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start; see $OUT/server.log" >&2; return 1
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# api_token URL: a fresh API token for the demo admin.
api_token() { $BIN --database "$1" token create --email admin@bearing.local --name bench 2>/dev/null; }

# session_cookie: sign in as the demo admin and print the session cookie. The
# sign-in form is opened first, as a browser would: posting it needs the
# login-CSRF cookie it sets and the token in its hidden csrf field.
session_cookie() {
  local jar csrf
  jar=$(mktemp)
  csrf=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/signin" | sed -nE 's/.*name="csrf" value="([^"]*)".*/\1/p' | head -1)
  curl -s -o /dev/null -D - -b "$jar" -X POST "http://127.0.0.1:$PORT/signin" \
    --data-urlencode "csrf=$csrf" --data-urlencode "email=admin@bearing.local" --data-urlencode "password=bearing-demo" --data-urlencode "next=/inbox" \
    | grep -i '^set-cookie: bearing_session=' | head -1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/'
  rm -f "$jar"
}

# load NAME HEADER PATH [CONNECTIONS]: wrk on PATH for $DURATION with
# CONNECTIONS (default 16); output to $OUT/NAME.txt. PATH must answer 200 (not
# a redirect to /signin); wrk's "Non-2xx or 3xx responses" line is shown.
load() {
  local c="${4:-16}" code
  echo "==> $1: $c connections, $DURATION, $3"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$2" "http://127.0.0.1:$PORT$3")
  [ "$code" = 200 ] || { echo "request failed ($code): $3" >&2; return 1; }
  wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"$DURATION" --latency -H "$2" "http://127.0.0.1:$PORT$3" | tee "$OUT/$1.txt" | grep -E "^ +(50|90|99)%|Requests/sec|Non-2xx"
}

# warm HEADER PATH: 5 s of wrk on PATH, not recorded (caches, pool).
warm() { wrk -t1 -c2 -d5s -H "$1" "http://127.0.0.1:$PORT$2" >/dev/null; }

machine() { echo "==> machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%F)"; }
