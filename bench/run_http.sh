#!/usr/bin/env bash
# HTTP load benchmark on the scale dataset (issue 13): houqin's write endpoints and heaviest read
# pages next to the bare Django view (/bench/bare/: same gunicorn, same middleware, same run),
# wrk with 32 connections, on PostgreSQL. Prints one Markdown row per endpoint; see bench/RESULTS.md.
# Raw wrk output, the request files and results.jsonl stay in bench/var/http-<scale>/run-<time>/.
#   bash bench/run_http.sh                      # 1× data: bare, 4 writes, 6 read pages
#   bash bench/run_http.sh --scale 4 --reads    # 4× data (one center of 12,000 staff), reads only
#   BENCH_DURATION=5s BENCH_REUSE=1 bash bench/run_http.sh   # quick try on the existing database
# Environment:
#   BENCH_SCALE 1|4|16 (or --scale)   data size: seed_scale --staff 3000×N (one center grows)
#   BENCH_GROWTH staff|centers        centers: seed N centers of 3,000 staff instead (the city)
#   BENCH_ONLY apps                   seed_scale --only (e.g. meetings,fleet,canteen,space)
#   BENCH_DB                          default houqin_bench_http, houqin_bench_http4, …16
#   BENCH_REUSE=1                     keep the database (no drop/migrate/seed)
#   BENCH_DURATION (20s)  BENCH_WORKERS (4)  BENCH_THREADS_PER_WORKER (8)  BENCH_PORT (8766)
#   BENCH_READS / BENCH_WRITES        which to run (names from the table; "none" for none)
# Needs: make install, Debian's wrk, PostgreSQL at 127.0.0.1:5432 (trust auth). It drops and
# recreates $BENCH_DB unless BENCH_REUSE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${BENCH_SCALE:-1}
READS_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --reads) READS_ONLY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PY=.venv/bin/python
GROWTH=${BENCH_GROWTH:-staff}
if [ "$SCALE" = 1 ]; then DB=${BENCH_DB:-houqin_bench_http}; else DB=${BENCH_DB:-houqin_bench_http$SCALE}; fi
PORT=${BENCH_PORT:-8766}
WORKERS=${BENCH_WORKERS:-4}
THREADS=${BENCH_THREADS_PER_WORKER:-8}
CONNS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-20s}
WRITES=${BENCH_WRITES:-order booking trip fault}
[ "$READS_ONLY" = 1 ] && WRITES=none
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=bench.settings
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export HOUQIN_VAR_DIR="$PWD/bench/var/http-$SCALE"
export BENCH_RUN=$(date +%s)
OUT="$HOUQIN_VAR_DIR/run-$BENCH_RUN"  # each run keeps its raw wrk output and request files
mkdir -p "$OUT"
: > "$OUT/results.jsonl"

command -v wrk >/dev/null || { echo "需要 wrk：apt-get install wrk" >&2; exit 2; }
if [ "${BENCH_REUSE:-0}" != 1 ]; then
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  $PY manage.py migrate --noinput -v0
  if [ "$GROWTH" = centers ]; then
    SEED=(--staff 3000 --centers "$SCALE")
  else
    SEED=(--staff $((3000 * SCALE)))
  fi
  [ -n "${BENCH_ONLY:-}" ] && SEED+=(--only "$BENCH_ONLY")
  /usr/bin/time -f "seed_scale ${SEED[*]}: %e s" $PY manage.py seed_scale "${SEED[@]}" --year 2025 -v0
  psql -h 127.0.0.1 -U postgres -d "$DB" -qc "VACUUM ANALYZE"
fi
PREP=()
[ "$WRITES" != none ] && PREP+=(--writes)
$PY bench/http_prepare.py "$OUT" "${PREP[@]}"

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --threads "$THREADS" --worker-class gthread --log-level warning \
  --env DJANGO_SETTINGS_MODULE=bench.settings 2>"$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/bench/bare/" >/dev/null 2>&1 && break
  sleep 0.2
done

wrk_run() {  # name kind conns script [env…]: one wrk run, its RESULT line to results.jsonl
  local name=$1 kind=$2 conns=$3 script=$4 threads=2
  shift 4
  [ "$conns" -lt 2 ] && threads=1
  local result
  result=$(env BENCH_THREADS=$threads "$@" wrk -t"$threads" -c"$conns" -d"$DURATION" --timeout 30s \
    -s "bench/$script" "http://127.0.0.1:$PORT" 2>"$OUT/$name-$conns.err" \
    | tee "$OUT/$name-$conns.txt" | grep '^RESULT' | sed 's/^RESULT //')
  if [ -s "$OUT/$name-$conns.err" ]; then sed "s/^/  $name: /" "$OUT/$name-$conns.err" >&2; fi
  echo "{\"name\": \"$name\", \"kind\": \"$kind\", \"conns\": $conns, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"result\": $result}" \
    >>"$OUT/results.jsonl"
}
bare() {
  wrk_run bare_post bare "$CONNS" wrk_bare.lua
  wrk_run bare_get bare "$CONNS" wrk_http_get.lua BENCH_PATH=/bench/bare/ BENCH_COOKIES=
}

wrk -t2 -c"$CONNS" -d3s -s bench/wrk_bare.lua "http://127.0.0.1:$PORT" >/dev/null  # warm-up
bare
for name in $WRITES; do
  [ "$name" = none ] && continue
  wrk_run "$name" write "$CONNS" wrk_http_post.lua BENCH_LINES="$OUT/$name.txt"
done
while IFS=$'\t' read -r name login path; do
  case " ${BENCH_READS:-$name} " in *" $name "*) ;; *) continue ;; esac
  cookies="$OUT/sessions/$login.txt"
  # warm-up: the database's caches and the workers' first-request imports
  curl -s -o /dev/null -b "$(head -1 "$cookies")" "http://127.0.0.1:$PORT$path"
  wrk_run "$name" read 1 wrk_http_get.lua BENCH_PATH="$path" BENCH_COOKIES="$cookies"
  wrk_run "$name" read "$CONNS" wrk_http_get.lua BENCH_PATH="$path" BENCH_COOKIES="$cookies"
done <"$OUT/reads.tsv"
bare  # again at the end: how much the machine's load moved during the run

kill $GUNICORN 2>/dev/null || true
wait $GUNICORN 2>/dev/null || true
$PY bench/http_report.py "$OUT/results.jsonl" --db "$DB" --scale "$SCALE" --growth "$GROWTH" \
  --workers "$WORKERS" --threads "$THREADS" --duration "$DURATION"
