from django.core.management.base import BaseCommand

from houqin.space.tasks import space_reminders


class Command(BaseCommand):
    help = (
        "提醒办公用房管理员：即将到期的租用房屋、调离/退休人员逾期未收回的办公室"
        "（每项只提醒一次；供 cron 调用）。"
    )

    def handle(self, *args, **options):
        sent = space_reminders()
        self.stdout.write(
            f"已提醒 {sent['lease_expiry']} 处即将到期的租用房屋、"
            f"{sent['office_overdue']} 间逾期未收回的办公室。"
        )
