"""Periodic jobs of the canteen app (scheduled by Celery beat; also a management command)."""

from celery import shared_task


def settle_meals(*, now=None) -> int:
    """Settle every published meal that is over: its orders not collected become 未领取, and
    are refunded where the meal slot says so (晚餐 by default). Once per menu; returns the
    number of menus settled now."""
    from .services.counter import settle_due_menus

    return settle_due_menus(now=now)


@shared_task(name="canteen.settle_meals")
def settle_meals_task():
    return settle_meals()
