"""Print bench/run_http.sh's results (results.jsonl: one wrk RESULT per line) as Markdown rows.

Run with DATABASE_URL set to the benchmark database (it counts the seeded rows). Every figure
is also given as a ratio to the bare view of the same run: writes to the bare POST, reads to
the bare GET, each the mean of the runs at the start and at the end.
"""

import argparse
import datetime as dt
import json
import os
import platform
from pathlib import Path

LABELS = {
    "order": "订餐 `POST /api/v1/canteen/orders/`",
    "booking": "订会议室 `POST /api/v1/meeting-bookings/`",
    "trip": "用车申请 `POST /api/v1/trip-requests/`",
    "fault": "报修 `POST /api/v1/maintenance/work-orders/`",
    "meetings_grid": "会议室占用表（日）`/meetings/`",
    "meetings_grid_week": "会议室占用表（周）`/meetings/?view=week`",
    "fleet_board": "调度台 `/fleet/board/`",
    "canteen_orders": "订单列表（管理）`/canteen/manage/orders/`",
    "space_compliance": "面积核定 `/space/`",
    "dashboard": "领导首页仪表盘 `/reports/?year=2025`",
}
TABLES = [
    ("org_person", "人员"),
    ("meetings_booking", "会议室预订"),
    ("fleet_triprequest", "用车申请"),
    ("canteen_mealorder", "订餐"),
    ("maintenance_workorder", "报修工单"),
    ("space_spaceroom", "房间"),
]


def counts():
    import django

    django.setup()
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        for table, label in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            out.append(f"{label} {cursor.fetchone()[0]:,}")
    return "，".join(out)


def cpu():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", default="1")
    parser.add_argument("--growth", default="staff")
    parser.add_argument("--workers", default="4")
    parser.add_argument("--threads", default="8")
    parser.add_argument("--duration", default="20s")
    args = parser.parse_args()
    runs = [json.loads(line) for line in args.results.read_text().splitlines() if line.strip()]

    def mean(name, key):
        values = [r["result"][key] for r in runs if r["name"] == name]
        return sum(values) / len(values) if values else float("nan")

    bare = {"write": mean("bare_post", "rps"), "read": mean("bare_get", "rps")}
    growth = "一个区的人员 ×" if args.growth == "staff" else "区级中心个数 ×"
    print(
        f"- {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC，{os.cpu_count()} 核 {cpu()}；"
        f"gunicorn {args.workers}×{args.threads} gthread；wrk 2 线程；每项 {args.duration}"
    )
    print(f"- 数据：{growth}{args.scale}（库 {args.db}）：{counts()}")
    loads = [r["load"] for r in runs]
    print(f"- 运行期间 1 分钟负载：{loads[0].split()[0]} … {loads[-1].split()[0]}")
    print()
    print(
        "| 接口 / 页面 | 并发 | req/s | p50 ms | p95 ms | p99 ms | ÷ 空视图 "
        "| 单连接 p50 / p95 ms | 错误 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        res, name = r["result"], r["name"]
        if r["kind"] == "read" and r["conns"] == 1:
            continue
        single = ""
        if r["kind"] == "read":
            one = next((x["result"] for x in runs if x["name"] == name and x["conns"] == 1), None)
            if one:
                single = f"{one['p50_ms']:.1f} / **{one['p95_ms']:.1f}**"
        ratio = ""
        if r["kind"] in bare:
            ratio = f"**{res['rps'] / bare[r['kind']]:.1%}**"
        label = LABELS.get(name, f"空视图 `{name}`")
        print(
            f"| {label} | {r['conns']} | {res['rps']:.0f} | {res['p50_ms']:.1f} | "
            f"{res['p95_ms']:.1f} | {res['p99_ms']:.1f} | {ratio} | {single} | {res['errors']} |"
        )


if __name__ == "__main__":
    main()
