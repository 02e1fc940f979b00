from django.core.management.base import BaseCommand

from houqin.fleet.tasks import expiry_reminders


class Command(BaseCommand):
    help = "提醒车辆调度员 30 天内到期的车辆保险、年检和驾驶证（同一事项每天一次；供 cron 调用）。"

    def handle(self, *args, **options):
        sent = expiry_reminders()
        self.stdout.write(f"已发送 {sent} 项到期提醒。")
