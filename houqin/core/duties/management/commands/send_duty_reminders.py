from django.core.management.base import BaseCommand

from houqin.core.duties.reminders import duty_reminders_send


class Command(BaseCommand):
    help = "发送责任事项的到期提醒和逾期提醒（每项任务各只发送一次）。"

    def handle(self, *args, **options):
        sent = duty_reminders_send()
        self.stdout.write(f"到期提醒 {sent['due']} 项，逾期提醒 {sent['overdue']} 项。")
