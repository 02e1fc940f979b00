"""The area-standard pages: the list grouped by organ level with the row in force today
highlighted, and the create form (superusers only)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.org.models import User
from houqin.space.models import AreaStandard

from .conftest import rank

pytestmark = pytest.mark.django_db

LIST = reverse("space:standard_list")
CREATE = reverse("space:standard_create")


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", password="x", must_change_password=False)
    client.force_login(user)
    return user


def state_of(page, standard):
    match = re.search(rf'data-standard="{standard.pk}" data-state="(\w+)"', page)
    return match.group(1) if match else None


def test_list_groups_by_level_and_marks_the_row_in_force(client, manager_a):
    today = timezone.localdate()
    clerk = rank("below-section")
    seeded = AreaStandard.objects.get(rank=clerk, effective_from=dt.date(2014, 12, 1))
    newer = AreaStandard.objects.create(
        rank=clerk, area_limit=Decimal("10.00"), effective_from=today, basis="新标准<b>"
    )
    future = AreaStandard.objects.create(
        rank=clerk, area_limit=Decimal("11.00"), effective_from=today + dt.timedelta(days=30)
    )
    client.force_login(manager_a)
    page = client.get(LIST).content.decode()
    assert state_of(page, newer) == "current"
    assert state_of(page, seeded) == "past"
    assert state_of(page, future) == "future"
    head = AreaStandard.objects.get(rank=rank("county-head"))
    assert state_of(page, head) == "current"
    # The district's own level first.
    assert page.index("县级机关") < page.index("市级机关") < page.index("中央机关")
    assert "新标准&lt;b&gt;" in page and "新标准<b>" not in page
    assert CREATE not in page  # no button: managers cannot add


@pytest.mark.parametrize("who", ["manager_a", "leader_a", "admin_a", "liaison_x"])
def test_list_readable_by_space_roles(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 200


def test_staff_get_403(client, staff_x):
    client.force_login(staff_x)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403


@pytest.mark.parametrize("who", ["manager_a", "leader_a", "admin_a", "liaison_x"])
def test_create_is_superuser_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    before = AreaStandard.objects.count()
    assert client.get(CREATE).status_code == 403
    data = {
        "rank": rank("below-section").pk,
        "area_limit": "10",
        "effective_from": "2027-01-01",
        "basis": "x",
    }
    assert client.post(CREATE, data).status_code == 403
    assert AreaStandard.objects.count() == before


def test_superuser_creates(client, root):
    page = client.get(LIST).content.decode()
    assert CREATE in page
    response = client.post(
        CREATE,
        {
            "rank": rank("section-head").pk,
            "area_limit": "20.00",
            "effective_from": "2027-01-01",
            "basis": "某市实施办法",
        },
    )
    assert response.status_code == 302 and response.url == LIST
    standard = AreaStandard.objects.get(effective_from=dt.date(2027, 1, 1))
    assert standard.rank == rank("section-head") and standard.area_limit == Decimal("20.00")
    assert "已新增面积标准" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"area_limit": "0"}, "面积上限必须大于 0。"),
        ({"area_limit": "12.345"}, "面积上限最多保留两位小数。"),
        ({"area_limit": "十二"}, "面积上限必须是数字。"),
        ({"area_limit": ""}, "请填写面积上限。"),
        ({"effective_from": "2027-13-01"}, "日期格式不正确（应为 YYYY-MM-DD）。"),
        ({"rank": ""}, "请选择职级。"),
        ({"basis": ""}, "请填写依据。"),
        (
            {"effective_from": "2014-12-01"},
            "“正科”在 2014-12-01 已有面积标准（18.00㎡），同一职级同一生效日期只能有一条。",
        ),
    ],
)
def test_bad_input_shows_the_message_and_writes_nothing(client, root, data, message):
    before = AreaStandard.objects.count()
    form = {
        "rank": rank("section-head").pk,
        "area_limit": "20.00",
        "effective_from": "2027-01-01",
        "basis": "某市实施办法",
        **data,
    }
    response = client.post(CREATE, form)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert AreaStandard.objects.count() == before
