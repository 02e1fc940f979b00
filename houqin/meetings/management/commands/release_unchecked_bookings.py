from django.core.management.base import BaseCommand

from houqin.meetings.services import bookings_release_unchecked


class Command(BaseCommand):
    help = "释放超过自动释放时限仍未签到的会议室预订（可重复运行；供 cron 调用）。"

    def handle(self, *args, **options):
        released = bookings_release_unchecked()
        self.stdout.write(f"已释放 {released} 项未签到的预订。")
