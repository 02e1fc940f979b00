"""车辆编制, 驾驶员/班组 pages and 改派 on the 派车单."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.fleet import services
from houqin.fleet.models import Driver, DriverTeam, Trip, Vehicle, VehicleQuota
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import _driver

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(approved_request, dispatcher, vehicle, driver):
    return services.trip_dispatch(
        actor=dispatcher, requests=[approved_request], vehicle=vehicle, driver=driver
    )


# ------------------------------------------------------------------ 改派


def test_reassign_success(client, dispatcher, trip, vehicle2, driver2):
    client.force_login(dispatcher)
    page = client.get(reverse("fleet:trip_detail", args=[trip.pk])).content.decode()
    assert "data-reassign" in page and "驾驶员乙" in page
    response = client.post(
        reverse("fleet:trip_reassign", args=[trip.pk]),
        {"vehicle": vehicle2.pk, "driver": driver2.pk},
        follow=True,
    )
    trip.refresh_from_db()
    assert trip.vehicle == vehicle2 and trip.driver == driver2
    assert "已改派" in response.content.decode()


def test_reassign_busy_driver_refused(
    client, dispatcher, trip, make_approved_request, vehicle, vehicle2, driver, driver2
):
    other = make_approved_request()
    services.trip_dispatch(actor=dispatcher, requests=[other], vehicle=vehicle2, driver=driver2)
    client.force_login(dispatcher)
    response = client.post(
        reverse("fleet:trip_reassign", args=[trip.pk]),
        {"vehicle": vehicle.pk, "driver": driver2.pk},
        follow=True,
    )
    assert "驾驶员乙在该时段已有出车任务。" in response.content.decode()
    trip.refresh_from_db()
    assert trip.driver == driver


def test_reassign_bad_input_and_staff(client, dispatcher, staff_x, trip, vehicle):
    client.force_login(dispatcher)
    response = client.post(
        reverse("fleet:trip_reassign", args=[trip.pk]), {"vehicle": vehicle.pk}, follow=True
    )
    assert "请选择驾驶员。" in response.content.decode()
    client.force_login(staff_x)
    response = client.post(reverse("fleet:trip_reassign", args=[trip.pk]), {})
    assert response.status_code == 403
    assert Trip.objects.get().driver_id == trip.driver_id


# ------------------------------------------------------------------ 车辆编制


def test_quota_upsert_and_vacancy(client, dispatcher, agency_x, vehicle):
    vehicle.owner_agency = agency_x
    vehicle.save()
    Vehicle.objects.create(
        center=vehicle.center,
        plate="桂K·A0009",
        brand_model="已处置车",
        seats=5,
        owner_agency=agency_x,
        status=Vehicle.Status.DISPOSED,
    )
    client.force_login(dispatcher)
    url = reverse("fleet:quota_list")
    data = {"agency": agency_x.pk, "category": "other", "quota": "2"}
    assert client.post(url, data).status_code == 302
    data["quota"] = "3"
    client.post(url, data)
    quota = VehicleQuota.objects.get()
    assert quota.quota == 3
    html = client.get(url).content.decode()
    assert "甲区财政局" in html
    assert '<td class="text-end" data-vacancy>2</td>' in html
    bad = client.post(url, {**data, "quota": "-1"})
    assert "请填写编制数（0–999）。" in bad.content.decode()
    client.post(reverse("fleet:quota_delete", args=[quota.pk]))
    assert not VehicleQuota.objects.exists()


# ------------------------------------------------------------------ 驾驶员, 班组


def test_driver_create_duplicate_and_team(client, dispatcher, driver, staff_x):
    client.force_login(dispatcher)
    url = reverse("fleet:driver_create")
    expiry = timezone.localdate() + dt.timedelta(days=10)
    data = {"user": staff_x.pk, "licence_class": "c1", "licence_expiry": expiry.isoformat()}
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    new = Driver.objects.get(user=staff_x)
    assert new.licence_class == "C1" and new.is_active
    again = client.post(url, data)
    assert "已登记为驾驶员。" in again.content.decode()
    assert Driver.objects.filter(user=staff_x).count() == 1

    response = client.post(reverse("fleet:team_create"), {"name": "一班", "team_leader": new.pk})
    team = DriverTeam.objects.get()
    assert team.team_leader == new
    dup = client.post(reverse("fleet:team_create"), {"name": "一班"}, follow=True)
    assert "班组“一班”已存在。" in dup.content.decode()

    edit = reverse("fleet:driver_edit", args=[new.pk])
    client.post(edit, {**data, "team": team.pk, "licence_class": "B2"})
    new.refresh_from_db()
    assert new.team == team and new.licence_class == "B2" and new.user == staff_x
    html = client.get(reverse("fleet:driver_list")).content.decode()
    assert "一班" in html and "data-expiring" in html and "职工甲" in html


def test_other_center_404_and_staff_403(client, dispatcher, staff_x, agency_b, center_b):
    user_b = make_user(PersonFactory(agency=agency_b, name="乙区驾驶员"), username="drv_b")
    driver_b = Driver.objects.create(center=center_b, user=user_b)
    quota_b = VehicleQuota.objects.create(
        center=center_b, agency=agency_b, category="other", quota=1
    )
    client.force_login(dispatcher)
    assert client.get(reverse("fleet:driver_edit", args=[driver_b.pk])).status_code == 404
    assert client.post(reverse("fleet:quota_delete", args=[quota_b.pk])).status_code == 404
    response = client.post(
        reverse("fleet:driver_create"), {"user": user_b.pk, "licence_class": "C1"}
    )
    assert "请选择本中心的人员账号。" in response.content.decode()
    assert VehicleQuota.objects.filter(pk=quota_b.pk).exists()
    client.force_login(staff_x)
    for name in ("fleet:quota_list", "fleet:driver_list", "fleet:driver_create"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("fleet:team_create"), {"name": "x"}).status_code == 403


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("fleet:driver_list")).status_code == 200
    return len(ctx)


def test_driver_list_query_count_constant(client, dispatcher, motor_pool):
    team = DriverTeam.objects.create(center=motor_pool.center, name="一班")
    for i in range(3):
        d = _driver(motor_pool, f"驾驶员{i}", f"d{i}")
        d.team = team
        d.save()
    team.team_leader = d
    team.save()
    client.force_login(dispatcher)
    few = _queries(client)
    for i in range(3, 20):
        _driver(motor_pool, f"驾驶员{i}", f"d{i}").__class__.objects.filter(
            user__username=f"d{i}"
        ).update(team=team)
    assert _queries(client) == few
