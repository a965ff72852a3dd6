#!/usr/bin/env bash
# Inbox benchmark (issue #2): generate N notes with `bearing gen`, then load
# the inbox's first page over the JSON API and as HTML with wrk, at 16, 4 and
# 1 connections from 127.0.0.1, on SQLite and on a throwaway PostgreSQL.
#
#   bench/inbox.sh [NOTES] [DURATION]      defaults: 1000000 notes, 20s
#   BACKENDS="sqlite" bench/inbox.sh       one backend only
#   BIN=path/to/bearing bench/inbox.sh     that binary instead of a build
#
# Results (wrk's latency distribution) go to
# bench/out/inbox-BACKEND-{api,html}-cN.txt.
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
  api="Authorization: Bearer $token"
  html="Cookie: $(session_cookie)"
  # Warm up once, then measure at saturation (16 connections on the same two
  # cores as the server), at a moderate 4, and one request at a time.
  warm "$api" "/api/v1/notes?state=unprocessed"
  warm "$html" "/inbox"
  for c in 16 4 1; do
    load "inbox-$b-api-c$c" "$api" "/api/v1/notes?state=unprocessed" "$c"
    load "inbox-$b-html-c$c" "$html" "/inbox" "$c"
  done
  stop_server
done
machine
