from django.core.management.base import BaseCommand

from houqin.canteen.tasks import settle_meals


class Command(BaseCommand):
    help = (
        "收餐结算：已过收餐时间的餐次，未领取的订单标记为未领取，"
        "按餐次设置退款（每餐一次；供 cron 调用）。"
    )

    def handle(self, *args, **options):
        settled = settle_meals()
        self.stdout.write(f"已结算 {settled} 个餐次。")
