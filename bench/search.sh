#!/usr/bin/env bash
# Search benchmark (issue #4): 1,000,000 notes, 100,000 ideas and 1,000,000
# links, then full-text search with one- to three-word queries and
# similar-idea suggestions over the JSON API, at 16, 4 and 1 connections
# from 127.0.0.1, on SQLite and on a throwaway PostgreSQL. Queries rotate through
# a fixed list (wrk Lua script) so no single cached plan or page dominates.
#
#   bench/search.sh [NOTES] [IDEAS] [DURATION]   defaults: 1000000 100000 20s
#   BACKENDS="sqlite" bench/search.sh            one backend only
NOTES="${1:-1000000}"
IDEAS="${2:-100000}"
DURATION="${3:-20s}"
OUT=bench/out
source "$(dirname "$0")/lib.sh"

# rotate NAME PATH...: a wrk script cycling through PATHs.
rotate() {
  local f="$OUT/$1.lua"
  { echo "paths = {"; shift; for p in "$@"; do printf '  "%s",\n' "$p"; done
    echo "}"; echo "i = 0"
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'; } > "$f"
  echo "$f"
}

# loadmany NAME HEADER LUA CONNECTIONS: like load, with a rotating script.
loadmany() {
  echo "==> $1: $4 connections, $DURATION"
  wrk -t"$(( $4 < 2 ? 1 : 2 ))" -c"$4" -d"$DURATION" --latency -H "$2" -s "$3" "http://127.0.0.1:$PORT" | tee "$OUT/$1.txt" | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
}

SEARCH=$(rotate search-queries \
  "/api/v1/search?q=dashboard" "/api/v1/search?q=okta" "/api/v1/search?q=export" "/api/v1/search?q=latency" \
  "/api/v1/search?q=slack%20alerts" "/api/v1/search?q=audit%20log" "/api/v1/search?q=wall%20screens" "/api/v1/search?q=terraform%20provider" \
  "/api/v1/search?q=template%20variables%20region" "/api/v1/search?q=%22audit%20log%22%20siem" "/api/v1/search?q=pdf%20report%20monday" "/api/v1/search?q=alert%20-slack")
SIMILAR=$(rotate similar-queries \
  "/api/v1/ideas/similar?text=We%20need%20SAML%20SSO%20with%20Okta%20groups%20before%20renewal" \
  "/api/v1/ideas/similar?text=Table%20exports%20stop%20at%20ten%20thousand%20rows" \
  "/api/v1/ideas/similar?text=The%20wall%20screens%20show%20a%20login%20page%20when%20the%20session%20expires" \
  "/api/v1/ideas/similar?text=Alerts%20should%20go%20to%20Microsoft%20Teams%20channels" \
  "/api/v1/ideas/similar?text=Large%20dashboards%20take%20thirty%20seconds%20to%20load" \
  "/api/v1/ideas/similar?text=Please%20stream%20audit%20events%20to%20Splunk")

machine
for b in ${BACKENDS:-sqlite postgres}; do
  prepare "$b"
  url=$(database_url "$b" search_bench)
  echo "==> $b: generating $NOTES notes, $IDEAS ideas, $NOTES links"
  /usr/bin/time -f "gen wall %es" $BIN --database "$url" gen --notes "$NOTES" --ideas "$IDEAS" --links "$NOTES" 2>&1 | tail -3 | tee "$OUT/search-$b-gen.txt"
  token=$(api_token "$url")
  start_server "$url"
  # Warm the caches once, then measure at saturation (16 connections on
  # the same two cores as the server), at a moderate 4, and one at a time
  # (the latency of a single request).
  wrk -t1 -c2 -d5s -H "Authorization: Bearer $token" -s "$SEARCH" "http://127.0.0.1:$PORT" >/dev/null
  wrk -t1 -c2 -d5s -H "Authorization: Bearer $token" -s "$SIMILAR" "http://127.0.0.1:$PORT" >/dev/null
  for c in 16 4 1; do
    loadmany "search-$b-search-c$c" "Authorization: Bearer $token" "$SEARCH" "$c"
    loadmany "search-$b-similar-c$c" "Authorization: Bearer $token" "$SIMILAR" "$c"
  done
  stop_server
done
