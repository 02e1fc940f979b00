"""Check every wallet: balance == Σ its ledger rows == balance_after of its latest row.

    python manage.py canteen_reconcile [--center CODE]

Prints "N 个餐卡核对一致" when all agree; otherwise one line per wallet that differs, and
exits with status 1 (for cron / monitoring).
"""

from django.core.management.base import BaseCommand, CommandError

from houqin.canteen.reconcile import reconcile_status
from houqin.org.models import Center


class Command(BaseCommand):
    help = "核对餐卡余额与流水（余额 = 流水合计 = 最后一笔流水的结余）"

    def add_arguments(self, parser):
        parser.add_argument("--center", metavar="CODE", help="只核对该编码的后勤服务中心")

    def handle(self, *args, center=None, **options):
        center_id = None
        if center:
            found = Center.objects.filter(code=center).first()
            if found is None:
                raise CommandError(f"没有编码为 {center} 的后勤服务中心。")
            center_id = found.pk
        status = reconcile_status(center_id)
        if status.ok:
            self.stdout.write(self.style.SUCCESS(f"{status.checked} 个餐卡核对一致"))
            return
        for d in status.discrepancies:
            w = d.wallet
            self.stdout.write(
                f"[{w.center.code or w.center_id}] 餐卡 #{w.pk} {w.person.name}："
                f"余额 {d.balance} 元，流水合计 {d.ledger_sum} 元，"
                f"最后一笔流水结余 {d.last_balance_after} 元，差额 {d.difference} 元"
            )
        raise CommandError(
            f"共核对 {status.checked} 个餐卡，{len(status.discrepancies)} 个余额与流水不一致。",
            returncode=1,
        )
