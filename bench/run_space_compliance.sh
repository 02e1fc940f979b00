#!/usr/bin/env bash
# 办公用房面积核定的规模基准：重建数据库 houqin_bench_space、迁移，然后运行 bench/space_compliance.py。
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${BENCH_DB:-houqin_bench_space}
PGURL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" -qc "CREATE DATABASE $DB"
export DATABASE_URL="$PGURL/$DB" HOUQIN_VAR_DIR=${HOUQIN_VAR_DIR:-/tmp/houqin-bench-space}
mkdir -p "$HOUQIN_VAR_DIR"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python bench/space_compliance.py "$@"
