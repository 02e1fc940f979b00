from django.core.management.base import BaseCommand

from houqin.core.duties.services import DEFAULT_DAYS_AHEAD, duty_tasks_generate


class Command(BaseCommand):
    help = "生成各启用中的责任计划在未来若干天内的任务（可重复运行，不会重复生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--days-ahead", type=int, default=DEFAULT_DAYS_AHEAD)

    def handle(self, *args, days_ahead, **options):
        created = duty_tasks_generate(days_ahead=days_ahead)
        self.stdout.write(f"已生成 {created} 项任务（未来 {days_ahead} 天）。")
