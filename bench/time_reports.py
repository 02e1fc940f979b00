"""Time the annual work summary and each module's statistics on the scale dataset.

    DJANGO_SETTINGS_MODULE=config.settings python bench/time_reports.py --center SCALE-1 --year 2025

Run after `manage.py seed_scale` (see bench/run_reports.sh, which does both on SQLite and on
PostgreSQL). For each measurement: one cold run (first after connecting: empty caches), then
the median of `--repeat` warm runs, with the number of SQL queries. Prints a Markdown table for
bench/RESULTS.md.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from houqin.org.models import Center  # noqa: E402
from houqin.reports import dashboard  # noqa: E402
from houqin.reports.builder import build  # noqa: E402
from houqin.reports.docx_writer import write_docx  # noqa: E402
from houqin.reports.figures import MODULES, _figures, summary_module  # noqa: E402
from houqin.reports.xlsx_writer import write_xlsx  # noqa: E402


def measure(label, func, repeat):
    timings = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    cold = timings[0]
    warm = statistics.median(timings[1:]) if repeat else cold
    # Counted in a run of its own, one piece after another: with REPORTS_WORKERS > 1 the
    # summary's queries run on the threads' connections, which this one does not see.
    reset_queries()
    with override_settings(REPORTS_WORKERS=1), CaptureQueriesContext(connection) as captured:
        func()
    return label, cold, warm, len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--center", default="SCALE-1")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    center = Center.objects.get(code=args.center)
    start, end = dt.date(args.year, 1, 1), dt.date(args.year + 1, 1, 1)
    now = timezone.make_aware(dt.datetime(args.year + 1, 1, 15, 9))
    rows = []
    for name in MODULES:
        module = summary_module(name)
        if module is not None:
            rows.append(
                measure(
                    f"{name}.summary.figures",
                    lambda m=module: _figures(m, center, start, end, now),
                    args.repeat,
                )
            )

    def word():
        return write_docx(build(center, start, end, now=now))

    rows.append(measure("年度工作总结 build + Word", word, args.repeat))
    rows.append(
        measure(
            "年度工作总结 xlsx",
            lambda: write_xlsx(build(center, start, end, now=now)),
            args.repeat,
        )
    )
    rows.append(
        measure(
            "领导看板 year_figures",
            lambda: dashboard.year_figures(center, args.year, now=now),
            args.repeat,
        )
    )
    size = len(word())
    print(
        f"数据库：{connection.vendor}；中心：{center.name}；{args.year} 年；Word {size:,} 字节；"
        f"REPORTS_WORKERS={settings.REPORTS_WORKERS}"
    )
    print("| 测量 | 冷启动 s | 热（中位数）s | SQL 条数 |")
    print("|---|---:|---:|---:|")
    for label, cold, warm, queries in rows:
        print(f"| {label} | {cold:.3f} | {warm:.3f} | {queries} |")


if __name__ == "__main__":
    main()
