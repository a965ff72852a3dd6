#!/usr/bin/env bash
# Ranking benchmark (issue #3): 100,000 ideas in one area with 1,000,000
# linked notes, then the first page of the area ranked by RICE and by
# customer demand over the JSON API, 16 connections from 127.0.0.1, on
# SQLite and on a throwaway PostgreSQL.
#
#   bench/ranking.sh [IDEAS] [LINKS] [DURATION]   defaults: 100000 1000000 20s
#   BACKENDS="sqlite" bench/ranking.sh            one backend only
IDEAS="${1:-100000}"
LINKS="${2:-1000000}"
DURATION="${3:-20s}"
OUT=bench/out
source "$(dirname "$0")/lib.sh"
for b in ${BACKENDS:-sqlite postgres}; do
  prepare "$b"
  url=$(database_url "$b" ranking_bench)
  echo "==> $b: generating $LINKS notes, $IDEAS ideas, $LINKS links"
  /usr/bin/time -f "gen wall %es" $BIN --database "$url" gen --notes "$LINKS" --ideas "$IDEAS" --links "$LINKS" 2>&1 | tail -3 | tee "$OUT/ranking-$b-gen.txt"
  token=$(api_token "$url")
  start_server "$url"
  area=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/areas" | python3 -c "import json,sys; print(next(a['id'] for a in json.load(sys.stdin)['items'] if a['key']=='ranking-bench'))")
  load "ranking-$b-rice" "Authorization: Bearer $token" "/api/v1/ideas?area_id=$area&sort=rice"
  load "ranking-$b-demand" "Authorization: Bearer $token" "/api/v1/ideas?area_id=$area&sort=demand"
  load "ranking-$b-board" "Authorization: Bearer $token" "/api/v1/areas/$area/board"
  stop_server
done
machine
