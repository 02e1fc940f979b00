#!/usr/bin/env bash
# Ordering benchmark (issue 6): houqin's POST /api/v1/canteen/orders/ next to a bare Django
# view (same gunicorn, same middleware, same run), 32 concurrent clients, on PostgreSQL.
#   bash bench/run_canteen_orders.sh            # prints a Markdown row; see bench/README.md
# Needs: the project's .venv (make install), wrk (Debian package "wrk"), PostgreSQL at
# 127.0.0.1:5432 (trust auth). It drops and recreates the database $BENCH_DB.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
DB=${BENCH_DB:-houqin_bench}
PORT=${BENCH_PORT:-8765}
WORKERS=${BENCH_WORKERS:-4}
THREADS=${BENCH_THREADS_PER_WORKER:-8}
CONNS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-20s}
export BENCH_THREADS=2
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DJANGO_SETTINGS_MODULE=bench.settings
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export HOUQIN_VAR_DIR="$PWD/bench/var"

command -v wrk >/dev/null || { echo "需要 wrk：apt-get install wrk" >&2; exit 2; }
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput -v0
$PY bench/seed_canteen.py

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --threads "$THREADS" --worker-class gthread --log-level warning \
  --env DJANGO_SETTINGS_MODULE=bench.settings &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/bench/bare/" >/dev/null 2>&1 && break
  sleep 0.2
done

run() {  # name script
  wrk -t"$BENCH_THREADS" -c"$CONNS" -d"$DURATION" -s "bench/$2" "http://127.0.0.1:$PORT" \
    | tee "bench/var/$1.txt" | grep '^RESULT' | sed 's/^RESULT //'
}
wrk -t2 -c"$CONNS" -d3s -s bench/wrk_bare.lua "http://127.0.0.1:$PORT" >/dev/null  # warm-up
BARE=$(run bare wrk_bare.lua)
ORDER=$(run order wrk_order.lua)
ORDERS_IN_DB=$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT count(*) FROM canteen_mealorder")
LEDGER_OK=$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT count(*) FROM canteen_wallet w WHERE w.balance <> (SELECT coalesce(sum(amount),0) FROM canteen_ledgerentry e WHERE e.wallet_id = w.id)")
WORKERS=$WORKERS $PY - "$BARE" "$ORDER" "$ORDERS_IN_DB" "$LEDGER_OK" <<'PY'
import json, platform, subprocess, sys, datetime, os
bare, order = json.loads(sys.argv[1]), json.loads(sys.argv[2])
cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
print(f"| {datetime.date.today()} | {cpu} cores, PostgreSQL, gunicorn {os.environ.get('WORKERS','4')}×gthread | "
      f"{bare['rps']:.0f} req/s, p50 {bare['p50_ms']:.1f} / p95 {bare['p95_ms']:.1f} / p99 {bare['p99_ms']:.1f} ms | "
      f"{order['rps']:.0f} req/s, p50 {order['p50_ms']:.1f} / p95 {order['p95_ms']:.1f} / p99 {order['p99_ms']:.1f} ms | "
      f"**{order['rps'] / bare['rps']:.0%}** | {order['errors']} errors, {sys.argv[3]} orders, "
      f"{sys.argv[4]} wallets off ledger |")
PY
