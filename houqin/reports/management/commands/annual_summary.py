"""Write a center's annual work summary as a Word file, unattended (cron, scripts):

    python manage.py annual_summary --year 2026 --output 2026年工作总结.docx [--xlsx 指标.xlsx]
    python manage.py annual_summary --start 2021-01-01 --end 2021-09-30 --output …
    python manage.py annual_summary --year 2026 --center CODE --output …

The only center is chosen when there is one; with several, --center (its code) is required.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from houqin.org.models import Center

from ...builder import build


class Command(BaseCommand):
    help = "生成年度工作总结（Word），可同时导出指标（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--start", help="YYYY-MM-DD（含）")
        parser.add_argument("--end", help="YYYY-MM-DD（含）")
        parser.add_argument("--center", help="中心编码；只有一个中心时可省略")
        parser.add_argument("--output", required=True, help="Word 文件路径（.docx）")
        parser.add_argument("--xlsx", help="指标 Excel 文件路径（可选）")

    def handle(self, *args, **options):
        start, end = self._period(options)
        center = self._center(options["center"])
        summary = build(center, start, end)
        from ...docx_writer import write_docx

        Path(options["output"]).write_bytes(write_docx(summary))
        self.stdout.write(f"已生成 {options['output']}：{summary.title}")
        if options["xlsx"]:
            from ...xlsx_writer import write_xlsx

            Path(options["xlsx"]).write_bytes(write_xlsx(summary))
            self.stdout.write(f"已生成 {options['xlsx']}（{len(summary.figures)} 项指标）")

    def _period(self, options):
        if options["start"] or options["end"]:
            start, last = parse_date(options["start"] or ""), parse_date(options["end"] or "")
            if start is None or last is None or last < start:
                raise CommandError("请用 --start 与 --end 给出有效的起止日期（YYYY-MM-DD）。")
            return start, last + dt.timedelta(days=1)
        if not options["year"]:
            raise CommandError("请用 --year 指定年度，或用 --start/--end 指定期间。")
        return dt.date(options["year"], 1, 1), dt.date(options["year"] + 1, 1, 1)

    def _center(self, code):
        centers = Center.objects.all()
        if code:
            center = centers.filter(code=code).first()
            if center is None:
                raise CommandError(f"没有编码为 {code} 的中心。")
            return center
        found = list(centers[:2])
        if len(found) != 1:
            raise CommandError(
                "有多个中心，请用 --center 指定中心编码。" if found else "还没有中心。"
            )
        return found[0]
