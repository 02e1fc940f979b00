#!/usr/bin/env bash
# 年度工作总结与各模块统计的规模基准（issue 12/13）：在 SQLite 和 PostgreSQL 上各生成一次
# 规模测试数据（seed_scale，默认 3,000 名职工、2025 年），然后运行 bench/time_reports.py。
#   bash bench/run_reports.sh            # 两种数据库都测
#   BENCH_DBS=postgresql bash bench/run_reports.sh
# 会删除并重建数据库 houqin_bench_reports 和 /tmp/houqin-bench-reports 下的 SQLite 文件。
set -euo pipefail
cd "$(dirname "$0")/.."
STAFF=${BENCH_STAFF:-3000}
YEAR=${BENCH_YEAR:-2025}
DB=${BENCH_DB:-houqin_bench_reports}
PGURL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
VAR=${HOUQIN_VAR_DIR:-/tmp/houqin-bench-reports}
for vendor in ${BENCH_DBS:-sqlite postgresql}; do
  rm -rf "$VAR" && mkdir -p "$VAR"
  export HOUQIN_VAR_DIR="$VAR"
  if [ "$vendor" = postgresql ]; then
    psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" -qc "CREATE DATABASE $DB"
    export DATABASE_URL="$PGURL/$DB"
  else
    unset DATABASE_URL
  fi
  .venv/bin/python manage.py migrate --noinput -v0
  /usr/bin/time -f "seed_scale: %e s, %M KB" .venv/bin/python manage.py seed_scale --staff "$STAFF" --year "$YEAR"
  DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/time_reports.py --year "$YEAR" "$@"
  /usr/bin/time -f "annual_summary 命令（含 Django 启动）: %e s" \
    .venv/bin/python manage.py annual_summary --year "$YEAR" --center SCALE-1 --output "$VAR/summary.docx"
done
