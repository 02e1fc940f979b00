"""驾驶员排班: services, the weekly roster page and 今日在班驾驶员 on the 调度台."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.fleet import services
from houqin.fleet.models import Driver, DriverShift, DriverTeam
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import _driver

pytestmark = pytest.mark.django_db

DAY = DriverShift.Kind.DAY
NIGHT = DriverShift.Kind.NIGHT


@pytest.fixture
def monday():
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


@pytest.fixture
def team(motor_pool, driver, driver2):
    team = DriverTeam.objects.create(center=motor_pool.center, name="一班", team_leader=driver2)
    Driver.objects.filter(pk__in=[driver.pk, driver2.pk]).update(team=team)
    return team


def test_assign_and_duplicate_refused(dispatcher, driver, monday):
    center = dispatcher.center
    shift = services.shift_assign(
        actor=dispatcher, center=center, driver=driver, date=monday, kind=DAY, note=" 值守 "
    )
    assert shift.center_id == center.pk and shift.note == "值守"
    # Another kind the same day is fine; the same kind is not.
    services.shift_assign(actor=dispatcher, center=center, driver=driver, date=monday, kind=NIGHT)
    with pytest.raises(ValidationError) as exc:
        services.shift_assign(actor=dispatcher, center=center, driver=driver, date=monday, kind=DAY)
    assert f"驾驶员甲 在 {monday.isoformat()} 已排白班。" in exc.value.messages
    assert DriverShift.objects.count() == 2


def test_assign_refuses_inactive_other_center_and_staff(
    dispatcher, staff_x, driver, monday, agency_b, center_b
):
    center = dispatcher.center
    driver.is_active = False
    driver.save()
    with pytest.raises(ValidationError) as exc:
        services.shift_assign(actor=dispatcher, center=center, driver=driver, date=monday, kind=DAY)
    assert "驾驶员甲 不在岗，不能排班。" in exc.value.messages
    user_b = make_user(PersonFactory(agency=agency_b, name="乙区驾驶员"), username="drv_b")
    driver_b = Driver.objects.create(center=center_b, user=user_b)
    with pytest.raises(ValidationError) as exc:
        services.shift_assign(
            actor=dispatcher, center=center, driver=driver_b, date=monday, kind=DAY
        )
    assert "请选择本中心的驾驶员。" in exc.value.messages
    with pytest.raises(ValidationError):
        services.shift_assign(
            actor=dispatcher, center=center, driver=driver_b, date=monday, kind="x"
        )
    with pytest.raises(PermissionDenied):
        services.shift_assign(actor=staff_x, center=center, driver=driver, date=monday, kind=DAY)
    assert not DriverShift.objects.exists()


def test_assign_team_skips_existing_and_inactive(dispatcher, motor_pool, team, driver, monday):
    center = dispatcher.center
    retired = _driver(motor_pool, "驾驶员丙", "driver_c")
    Driver.objects.filter(pk=retired.pk).update(team=team, is_active=False)
    services.shift_assign(actor=dispatcher, center=center, driver=driver, date=monday, kind=DAY)
    created = services.shift_assign_team(
        actor=dispatcher, center=center, team=team, date=monday, kind=DAY
    )
    assert [s.driver.user.display_name for s in created] == ["驾驶员乙"]
    assert DriverShift.objects.filter(date=monday, kind=DAY).count() == 2
    assert (
        services.shift_assign_team(
            actor=dispatcher, center=center, team=team, date=monday, kind=DAY
        )
        == []
    )


def test_roster_page_assign_and_delete(client, dispatcher, team, driver, driver2, monday):
    client.force_login(dispatcher)
    url = reverse("fleet:shift_roster")
    tuesday = monday + dt.timedelta(days=1)
    response = client.post(url, {"driver": driver.pk, "date": tuesday.isoformat(), "kind": "day"})
    assert response.status_code == 302 and response["Location"].endswith(
        f"?week={monday.isoformat()}"
    )
    response = client.post(
        url, {"team": team.pk, "date": tuesday.isoformat(), "kind": "day"}, follow=True
    )
    assert "已为班组 一班 排班 1 人" in response.content.decode()
    dup = client.post(url, {"driver": driver.pk, "date": tuesday.isoformat(), "kind": "day"})
    assert "已排白班。" in dup.content.decode()
    neither = client.post(url, {"date": tuesday.isoformat(), "kind": "day"})
    assert "请选择一名驾驶员或一个班组（二选一）。" in neither.content.decode()

    html = client.get(url, {"week": tuesday.isoformat()}).content.decode()
    assert "一班" in html and "data-leader" in html and html.count("data-shift=") == 2
    assert not re.findall(r"<script(?![^>]*\bsrc=)", html)  # strict CSP: no inline script
    assert ' style="' not in html

    shift = DriverShift.objects.get(driver=driver)
    response = client.post(reverse("fleet:shift_delete", args=[shift.pk]))
    assert response.status_code == 302 and monday.isoformat() in response["Location"]
    assert not DriverShift.objects.filter(pk=shift.pk).exists()
    assert client.get(reverse("fleet:shift_delete", args=[shift.pk])).status_code == 405


def test_other_center_404_and_staff_403(client, dispatcher, staff_x, driver, agency_b, center_b):
    user_b = make_user(PersonFactory(agency=agency_b, name="乙区驾驶员"), username="drv_b")
    driver_b = Driver.objects.create(center=center_b, user=user_b)
    shift_b = DriverShift.objects.create(center=center_b, driver=driver_b, date=dt.date.today())
    client.force_login(dispatcher)
    assert client.post(reverse("fleet:shift_delete", args=[shift_b.pk])).status_code == 404
    response = client.post(
        reverse("fleet:shift_roster"),
        {"driver": driver_b.pk, "date": dt.date.today().isoformat(), "kind": "day"},
    )
    assert "请选择本中心在岗的驾驶员。" in response.content.decode()
    assert "乙区驾驶员" not in client.get(reverse("fleet:shift_roster")).content.decode()
    shift_a = DriverShift.objects.create(
        center=dispatcher.center, driver=driver, date=dt.date.today()
    )
    client.force_login(staff_x)
    assert client.get(reverse("fleet:shift_roster")).status_code == 403
    assert client.post(reverse("fleet:shift_delete", args=[shift_a.pk])).status_code == 403
    assert DriverShift.objects.count() == 2


def _queries(client, week):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("fleet:shift_roster"), {"week": week.isoformat()})
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_roster_query_count_constant(client, dispatcher, motor_pool, monday):
    center = dispatcher.center
    teams = [DriverTeam.objects.create(center=center, name=f"{n}班") for n in "一二"]

    def add(i):
        d = _driver(motor_pool, f"驾驶员{i}", f"d{i}")
        Driver.objects.filter(pk=d.pk).update(team=teams[i % 2])
        for k in range(i % 3 + 1):
            DriverShift.objects.create(
                center=center, driver=d, date=monday + dt.timedelta(days=k), kind=DAY
            )
        return d

    leader = add(0)
    DriverTeam.objects.filter(pk=teams[0].pk).update(team_leader=leader)
    for i in range(1, 3):
        add(i)
    client.force_login(dispatcher)
    few, _ = _queries(client, monday)
    for i in range(3, 20):
        add(i)
    many, html = _queries(client, monday)
    assert many == few, (few, many)
    assert "驾驶员19" in html and html.count("data-leader") == 1


def test_board_shows_on_shift_drivers(client, dispatcher, team, driver, driver2, monday):
    center = dispatcher.center
    services.shift_assign(actor=dispatcher, center=center, driver=driver, date=monday, kind=DAY)
    services.shift_assign(actor=dispatcher, center=center, driver=driver2, date=monday, kind=NIGHT)
    services.shift_assign(
        actor=dispatcher,
        center=center,
        driver=driver2,
        date=monday + dt.timedelta(days=1),
        kind=DAY,
    )
    client.force_login(dispatcher)
    html = client.get(reverse("fleet:board"), {"date": monday.isoformat()}).content.decode()
    box = html.split("data-on-shift>")[1].split("</div>\n    </div>")[0]
    assert "今日在班驾驶员" in html
    assert "驾驶员甲" in box and "驾驶员乙" in box and "夜班" in box and "（一班）" in box
    assert box.count("data-on-shift-driver") == 2
    other = client.get(
        reverse("fleet:board"), {"date": (monday - dt.timedelta(days=1)).isoformat()}
    )
    assert "当天尚未排班。" in other.content.decode()
