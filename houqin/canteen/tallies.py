"""Menu tallies: a settled menu's orders counted by status, stored on the menu.

Statistics over long periods (the annual summary, the leader dashboard, the meal report)
sum these instead of counting every order (see reports.meal_counts). menu_settle counts one
menu as it settles it; `fill_tallies` counts many settled menus in one UPDATE, for rows
written in bulk (the scale dataset) and for menus settled before tallies existed (the
migration that added them). It takes the model classes so a migration can pass its
historical models.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

FINAL = ("cancelled", "collected", "uncollected")  # MealOrder.Status values after settlement


def fill_tallies(Menu, MealOrder, menus) -> int:
    """Set tally_* of the settled menus among `menus` (a queryset); returns how many."""

    def count(status=None):
        orders = MealOrder.objects.filter(menu=OuterRef("pk"))
        if status:
            orders = orders.filter(status=status)
        counted = orders.order_by().values("menu").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    # A settled menu has no order still placed; one that has (data written by hand) is
    # left uncounted rather than given tallies that do not add up.
    still_placed = MealOrder.objects.filter(menu=OuterRef("pk"), status="placed")
    return (
        menus.filter(settled_at__isnull=False)
        .exclude(Q(pk__in=still_placed.values("menu")))
        .update(
            tally_placed=count(),
            **{f"tally_{status}": count(status) for status in FINAL},
        )
    )
