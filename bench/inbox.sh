#!/usr/bin/env bash
# Inbox benchmark (issue #2): generate N notes with `bearing gen`, then load
# the inbox's first page over the JSON API and as HTML with wrk, 16
# connections from 127.0.0.1, on SQLite and on a throwaway PostgreSQL.
#
#   bench/inbox.sh [NOTES] [DURATION]      defaults: 1000000 notes, 20s
#   BACKENDS="sqlite" bench/inbox.sh       one backend only
#
# Results (wrk's latency distribution) go to bench/out/inbox-*.txt.
NOTES="${1:-1000000}"
DURATION="${2:-20s}"
OUT=bench/out
source "$(dirname "$0")/lib.sh"
for b in ${BACKENDS:-sqlite postgres}; do
  prepare "$b"
  url=$(database_url "$b" inbox_bench)
  echo "==> $b: generating $NOTES notes"
  $BIN --database "$url" gen --notes "$NOTES" 2>&1 | tail -1 | tee "$OUT/inbox-$b-gen.txt"
  token=$(api_token "$url")
  start_server "$url"
  load "inbox-$b-api" "Authorization: Bearer $token" "/api/v1/notes?state=unprocessed"
  load "inbox-$b-html" "Cookie: $(session_cookie)" "/inbox"
  stop_server
done
machine
