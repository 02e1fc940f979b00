"""Send the notification deliveries that are due (for cron, without a Celery beat)."""

from django.core.management.base import BaseCommand

from houqin.core.notifications.delivery import RETRY_BATCH, retry_due


class Command(BaseCommand):
    help = "发送到期的待发送通知（邮件、Webhook），失败的按退避时间重试。可由 cron 每 5 分钟运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=RETRY_BATCH, help="本次最多处理的条数（默认 %(default)s）"
        )

    def handle(self, *args, limit, **options):
        count = retry_due(limit=max(1, limit))
        self.stdout.write(f"已处理 {count} 条待发送记录。")
