from django.core.management.base import BaseCommand

from houqin.security.tasks import security_daily


class Command(BaseCommand):
    help = "安保消防每日任务：消防器材到期提醒（每件一次），清理过期来访记录（供 cron 调用）。"

    def handle(self, *args, **options):
        result = security_daily()
        self.stdout.write(
            f"已提醒 {result['equipment_reminded']} 件到期消防器材，"
            f"已清理 {result['visits_purged']} 条过期来访记录。"
        )
