"""area_standard_create: positive two-decimal limits, one row per (rank, date), superusers
only (national regulations: no role grants space.add_areastandard)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.org.models import User
from houqin.space.compliance import standards_on
from houqin.space.models import AreaStandard
from houqin.space.services.standards import area_standard_create

from .conftest import rank

pytestmark = pytest.mark.django_db
LATER = dt.date(2027, 1, 1)


@pytest.fixture
def root():
    return User.objects.create_superuser("root", password="x", must_change_password=False)


def create(actor, **kwargs):
    data = {
        "rank": rank("below-section"),
        "area_limit": "10.50",
        "effective_from": LATER,
        "basis": "某省实施细则",
    }
    return area_standard_create(actor=actor, **{**data, **kwargs})


def test_superuser_adds_a_later_standard(root):
    standard = create(root)
    assert standard.area_limit == Decimal("10.50") and standard.basis == "某省实施细则"
    assert standards_on(LATER)[rank("below-section").pk] == Decimal("10.50")
    # The 2014 limit still judges the days before.
    assert standards_on(LATER - dt.timedelta(days=1))[rank("below-section").pk] == Decimal("9.00")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "面积上限必须大于 0。"),
        ("-3", "面积上限必须大于 0。"),
        ("9.123", "面积上限最多保留两位小数。"),
        ("abc", "面积上限必须是数字。"),
        ("NaN", "面积上限必须是数字。"),
        ("10000", "面积上限过大。"),
    ],
)
def test_bad_limits_are_refused(root, value, message):
    before = AreaStandard.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(root, area_limit=value)
    assert exc.value.message_dict == {"area_limit": [message]}
    assert AreaStandard.objects.count() == before


def test_missing_fields(root):
    with pytest.raises(ValidationError, match="请选择职级"):
        create(root, rank=None)
    with pytest.raises(ValidationError, match="请填写生效日期"):
        create(root, effective_from=None)
    with pytest.raises(ValidationError, match="请填写依据"):
        create(root, basis="  ")
    with pytest.raises(ValidationError, match="依据不能超过 100 个字"):
        create(root, basis="文" * 101)
    assert not AreaStandard.objects.filter(effective_from=LATER).exists()


def test_inactive_rank_refused(root):
    clerk = rank("below-section")
    clerk.is_active = False
    clerk.save()
    with pytest.raises(ValidationError, match="已停用"):
        create(root, rank=clerk)


def test_duplicate_rank_and_date(root):
    before = AreaStandard.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(root, rank=rank("county-head"), effective_from=dt.date(2014, 12, 1))
    assert exc.value.message_dict == {
        "effective_from": [
            "“县级正职”在 2014-12-01 已有面积标准（30.00㎡），同一职级同一生效日期只能有一条。"
        ]
    }
    assert AreaStandard.objects.count() == before


@pytest.mark.parametrize("who", ["manager_a", "admin_a", "leader_a"])
def test_no_role_may_add(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        create(user)
    assert not AreaStandard.objects.filter(effective_from=LATER).exists()
