from django.core.management.base import BaseCommand

from houqin.maintenance.tasks import overdue_reminders


class Command(BaseCommand):
    help = "提醒维修人员和维修管理员已超过完成时限的维修工单（同一工单每天一次；供 cron 调用）。"

    def handle(self, *args, **options):
        sent = overdue_reminders()
        self.stdout.write(f"已发送 {sent} 张超时工单的提醒。")
