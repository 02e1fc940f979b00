import io

import pytest
from django.core.management import CommandError, call_command

from houqin.core.models import AuditLogEntry
from houqin.org.models import OrgUnit, Person, RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_center_agencies_people_and_role_logins():
    call_command("seed_demo", stdout=io.StringIO())
    center = OrgUnit.objects.get(kind="center", code="DEMO-CENTER")
    assert OrgUnit.objects.filter(center=center, kind="agency").count() >= 20
    assert 280 <= Person.objects.filter(center=center).count() <= 400
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    from houqin.core.roles import Role

    assert roles == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.check_password("Houqin@2026") and not admin.must_change_password


def _demo_state():
    from houqin.canteen.models import LedgerEntry, MealOrder, Menu, WalkInSale, Wallet
    from houqin.maintenance.models import Equipment, WorkOrder, WorkOrderEvent

    return (
        Person.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
        AuditLogEntry.objects.count(),
        Menu.objects.count(),
        MealOrder.objects.count(),
        WalkInSale.objects.count(),
        LedgerEntry.objects.count(),
        list(Wallet.objects.order_by("pk").values_list("balance", flat=True)),
        Equipment.objects.count(),
        WorkOrderEvent.objects.count(),
        list(WorkOrder.objects.order_by("pk").values_list("status", "updated_at")),
    )


def test_seed_demo_twice_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "新增" in out.getvalue()
    state = _demo_state()
    stamps = list(Person.objects.order_by("pk").values_list("updated_at", flat=True))
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "未做任何修改" in out.getvalue()
    assert state == _demo_state()
    assert stamps == list(Person.objects.order_by("pk").values_list("updated_at", flat=True))
    from houqin.canteen.models import Menu, Wallet

    # The demo canteen is there: published menus and the month's subsidy on every card.
    assert Menu.objects.filter(status="published").count() >= 30
    assert (
        Wallet.objects.filter(status="open").count()
        == Person.objects.filter(status="active").count()
    )
    # The demo maintenance: the equipment register and work orders at every stage.
    from houqin.maintenance.models import Equipment, WorkOrder

    assert Equipment.objects.count() >= 12
    assert WorkOrder.objects.filter(assignee__username="technician").count() >= 15
    assert {"new", "in_progress", "done", "closed"} <= set(
        WorkOrder.objects.values_list("status", flat=True)
    )


def test_seed_demo_refuses_production(settings):
    settings.HOUQIN_ENV = "production"
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not OrgUnit.objects.exists()


def test_create_center_bootstraps_admin():
    call_command(
        "create_center",
        "测试中心",
        admin_username="boss",
        admin_name="张三",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="boss")
    assert user.must_change_password and user.has_perm("org.manage_accounts")
    with pytest.raises(CommandError):
        call_command("create_center", "测试中心", admin_username="boss2", admin_name="李四")


def test_scale_phones_are_eleven_digits_and_never_repeat_across_centers():
    """seed_scale --centers 16: the 10th center and later used to get 12-digit numbers cut
    to 11, repeating phones inside a center (the unique name + phone constraint failed)."""
    import random

    from houqin.org.management.commands.seed_scale import scale_phone

    rng = random.Random(1)
    phones = [scale_phone(rng, c, i) for c in (1, 9, 10, 16, 99) for i in range(48_000)]
    assert all(len(p) == 11 and p.isdigit() and p.startswith("1") for p in phones)
    assert len({p[2:] for p in phones}) == len(phones)  # unique whatever the 2nd digit
