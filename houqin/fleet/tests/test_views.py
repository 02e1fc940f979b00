"""Fleet pages: requests, board dispatch, driver start/end, vehicles, 派车单 Word."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.core.approvals.selectors import approval_for_object
from houqin.core.approvals.services import approval_approve
from houqin.core.roles import Role
from houqin.fleet import services
from houqin.fleet.models import Driver, FuelRecord, Trip, TripRequest, Vehicle, VehicleSeal
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


# ------------------------------------------------------------------ fixtures and helpers


@pytest.fixture
def dispatcher(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="调度员甲"), Role.FLEET_DISPATCHER, username="disp_a"
    )


@pytest.fixture
def leader_x(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="财政局领导"), Role.AGENCY_LEADER, username="lead_x"
    )


def make_driver(center, agency, name, username):
    user = make_user(PersonFactory(agency=agency, name=name), Role.DRIVER, username=username)
    return Driver.objects.create(center=center, user=user)


@pytest.fixture(autouse=True)
def _approvers(leader_x, dispatcher):
    """Both approval steps need someone able to decide them."""


@pytest.fixture
def driver(center_a, agency_x):
    return make_driver(center_a, agency_x, "驾驶员老张", "driver_zhang")


@pytest.fixture
def driver2(center_a, agency_x):
    return make_driver(center_a, agency_x, "驾驶员老李", "driver_li")


@pytest.fixture
def vehicle(center_a):
    return Vehicle.objects.create(
        center=center_a,
        plate="京A12345",
        brand_model="大众帕萨特",
        seats=5,
        fixed_fuel_station="中石化城东站",
        fixed_repair_shop="城东汽修厂",
        odometer_km=Decimal("10000.0"),
    )


@pytest.fixture
def tomorrow():
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


def request_car(actor, start, hours=3, **kw):
    data = {
        "agency": actor.person.agency,
        "purpose": "赴市财政局汇报预算",
        "origin": "区政府大院",
        "destination": "市财政局",
        "passengers": 2,
    }
    data.update(kw)
    return services.trip_request_create(
        actor=actor, departs_at=start, returns_at=start + hours * H, **data
    )


def approve(trip_request, leader, dispatcher):
    for actor in (leader, dispatcher):
        approval = approval_for_object(trip_request, request_type="fleet.trip")
        approval_approve(actor=actor, approval=approval)
    trip_request.refresh_from_db()
    assert trip_request.status == TripRequest.Status.APPROVED
    return trip_request


@pytest.fixture
def approved(staff_x, leader_x, dispatcher, tomorrow):
    return approve(request_car(staff_x, tomorrow), leader_x, dispatcher)


@pytest.fixture
def trip(approved, dispatcher, vehicle, driver):
    return services.trip_dispatch(
        actor=dispatcher, requests=[approved], vehicle=vehicle, driver=driver
    )


def request_form(start, **overrides):
    local = timezone.localtime(start)
    back = local + 3 * H  # may fall on the next day when the test runs after 21:00
    data = {
        "purpose": "赴市财政局汇报预算",
        "agency": "",
        "origin": "区政府大院",
        "destination": "市财政局",
        "stops": "",
        "passengers": "3",
        "passenger_names": "张三、李四、王五",
        "depart_date": local.date().isoformat(),
        "depart_time": local.strftime("%H:%M"),
        "return_date": back.date().isoformat(),
        "return_time": back.strftime("%H:%M"),
        "needs_driver": "on",
        "preferred_seats": "",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ requests


def test_request_create_happy(client, staff_x, leader_x, agency_x, tomorrow):
    client.force_login(staff_x)
    page = client.get(reverse("fleet:request_create"))
    assert page.status_code == 200
    assert f'value="{agency_x.pk}" selected' in page.content.decode()
    response = client.post(
        reverse("fleet:request_create"), request_form(tomorrow, agency=agency_x.pk)
    )
    req = TripRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fleet:request_detail", args=[req.pk])
    assert req.status == TripRequest.Status.PENDING
    assert req.passengers == 3 and req.requester == staff_x
    assert req.departs_at == tomorrow and req.returns_at == tomorrow + 3 * H
    detail = client.get(response.url).content.decode()
    assert "审批中" in detail and "查看审批进度" in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": ""}, "请填写公务事由"),
        ({"passengers": "0"}, "请填写乘车人数（1–60）。"),
        ({"return_time": "08:00"}, "返回时间必须晚于出发时间。"),
    ],
)
def test_request_create_bad_input_writes_nothing(
    client, staff_x, agency_x, tomorrow, overrides, message
):
    client.force_login(staff_x)
    data = request_form(tomorrow, agency=agency_x.pk, **overrides)
    response = client.post(reverse("fleet:request_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TripRequest.objects.exists()


def test_request_create_in_the_past_refused(client, staff_x, agency_x):
    client.force_login(staff_x)
    past = timezone.now() - dt.timedelta(days=2)
    response = client.post(reverse("fleet:request_create"), request_form(past, agency=agency_x.pk))
    assert "出发时间不能早于现在。" in response.content.decode()
    assert not TripRequest.objects.exists()


def test_request_list_mine_and_dispatcher_all(
    client, staff_x, liaison_x, leader_x, dispatcher, tomorrow
):
    request_car(staff_x, tomorrow, purpose="职工的申请")
    request_car(liaison_x, tomorrow, purpose="联络员的申请")
    client.force_login(staff_x)
    html = client.get(reverse("fleet:request_list")).content.decode()
    assert "职工的申请" in html and "联络员的申请" not in html
    client.force_login(dispatcher)
    html = client.get(reverse("fleet:request_list"), {"status": "pending"}).content.decode()
    assert "职工的申请" in html and "联络员的申请" in html
    html = client.get(reverse("fleet:request_list"), {"status": "approved"}).content.decode()
    assert "职工的申请" not in html
    export = client.get(reverse("fleet:request_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_request_cancel(client, staff_x, leader_x, tomorrow):
    req = request_car(staff_x, tomorrow)
    client.force_login(staff_x)
    response = client.post(reverse("fleet:request_cancel", args=[req.pk]), {"reason": "会议改期"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == TripRequest.Status.CANCELLED
    assert approval_for_object(req, request_type="fleet.trip").status == "cancelled"
    # A second cancel is refused with a message; nothing changes.
    response = client.post(reverse("fleet:request_cancel", args=[req.pk]), follow=True)
    assert "不能取消" in response.content.decode()


# ------------------------------------------------------------------ board and dispatch


def test_board_lists_queue_with_available_vehicles_and_dispatches(
    client, dispatcher, approved, vehicle, driver, driver2, center_a, tomorrow
):
    small = Vehicle.objects.create(center=center_a, plate="京A00002", brand_model="小车", seats=2)
    sealed = Vehicle.objects.create(
        center=center_a, plate="京A00003", brand_model="封存车", seats=7
    )
    VehicleSeal.objects.create(
        center=center_a,
        vehicle=sealed,
        starts_at=tomorrow - H,
        ends_at=tomorrow + 10 * H,
        reason="节日封存",
    )
    client.force_login(dispatcher)
    response = client.get(reverse("fleet:board"), {"date": tomorrow.date().isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert approved.purpose in html
    vehicle_select = html.split(f'id="vehicle-{approved.pk}"')[1].split("</select>")[0]
    assert vehicle.plate in vehicle_select
    assert small.plate not in vehicle_select  # 2 seats for 2 passengers + driver
    assert sealed.plate not in vehicle_select
    assert "style=" not in html and "<script>" not in html

    response = client.post(
        reverse("fleet:dispatch"),
        {"requests": [approved.pk], "vehicle": vehicle.pk, "driver": driver.pk},
    )
    trip = Trip.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fleet:trip_detail", args=[trip.pk])
    approved.refresh_from_db()
    assert approved.status == TripRequest.Status.DISPATCHED and approved.trip == trip
    assert trip.vehicle == vehicle and trip.driver == driver

    html = client.get(reverse("fleet:board"), {"date": tomorrow.date().isoformat()}).content
    html = html.decode()
    assert trip.number in html  # on the timeline
    assert "当天没有待派车的申请。" in html


def test_dispatch_merges_two_requests(
    client, dispatcher, staff_x, liaison_x, leader_x, vehicle, driver, tomorrow
):
    a = approve(request_car(staff_x, tomorrow, passengers=2), leader_x, dispatcher)
    b = approve(request_car(liaison_x, tomorrow, passengers=2), leader_x, dispatcher)
    client.force_login(dispatcher)
    client.post(
        reverse("fleet:dispatch"),
        {"requests": [a.pk, b.pk], "vehicle": vehicle.pk, "driver": driver.pk},
    )
    trip = Trip.objects.get()
    assert set(trip.requests.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_dispatch_refused_when_vehicle_too_small(
    client, dispatcher, staff_x, leader_x, center_a, driver, tomorrow
):
    req = approve(request_car(staff_x, tomorrow, passengers=4), leader_x, dispatcher)
    small = Vehicle.objects.create(center=center_a, plate="京A00002", brand_model="小车", seats=4)
    client.force_login(dispatcher)
    response = client.post(
        reverse("fleet:dispatch"),
        {"requests": [req.pk], "vehicle": small.pk, "driver": driver.pk},
        follow=True,
    )
    assert "座位不足" in response.content.decode()
    assert not Trip.objects.exists()
    req.refresh_from_db()
    assert req.status == TripRequest.Status.APPROVED


def test_dispatch_bad_input(client, dispatcher, approved, vehicle):
    client.force_login(dispatcher)
    response = client.post(
        reverse("fleet:dispatch"), {"requests": [approved.pk], "vehicle": vehicle.pk}, follow=True
    )
    assert "请选择驾驶员。" in response.content.decode()
    assert not Trip.objects.exists()


def test_mark_unmet(client, dispatcher, approved):
    client.force_login(dispatcher)
    response = client.post(reverse("fleet:request_unmet", args=[approved.pk]), {"reason": ""})
    approved.refresh_from_db()
    assert approved.status == TripRequest.Status.APPROVED
    response = client.post(
        reverse("fleet:request_unmet", args=[approved.pk]), {"reason": "车辆均已派出"}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == TripRequest.Status.UNMET
    assert approved.unmet_reason == "车辆均已派出"


def test_trip_detail_cancel_and_sheet(client, dispatcher, trip, approved):
    client.force_login(dispatcher)
    html = client.get(reverse("fleet:trip_detail", args=[trip.pk])).content.decode()
    assert trip.number in html and "京A12345" in html and "驾驶员老张" in html
    assert approved.purpose in html

    response = client.get(reverse("fleet:trip_sheet", args=[trip.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    import docx

    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "派车单" in text and trip.number in text
    assert trip.number in cells and "京A12345" in cells and approved.purpose in cells
    assert "签字" in text

    client.post(reverse("fleet:trip_cancel", args=[trip.pk]), {"reason": ""})
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SCHEDULED
    client.post(reverse("fleet:trip_cancel", args=[trip.pk]), {"reason": "会议取消"})
    trip.refresh_from_db()
    approved.refresh_from_db()
    assert trip.status == Trip.Status.CANCELLED
    assert approved.status == TripRequest.Status.APPROVED


# ------------------------------------------------------------------ driver


@pytest.fixture
def soon():
    """Within the 2 hours before which a driver may start a trip."""
    return timezone.now().replace(second=0, microsecond=0) + H


def test_driver_starts_and_ends_trip(client, driver, vehicle, staff_x, leader_x, dispatcher, soon):
    approved = approve(request_car(staff_x, soon), leader_x, dispatcher)
    trip = services.trip_dispatch(
        actor=dispatcher, requests=[approved], vehicle=vehicle, driver=driver
    )
    client.force_login(driver.user)
    html = client.get(reverse("fleet:my_trips")).content.decode()
    assert trip.number in html and reverse("fleet:trip_start", args=[trip.pk]) in html

    url = reverse("fleet:trip_start", args=[trip.pk])
    response = client.post(url, {"odometer": "9990", "disinfected": "on"})
    assert "出车里程 9990.0 小于车辆当前里程 10000.0，里程不能倒退。" in response.content.decode()
    response = client.post(url, {"odometer": "10005"})
    assert "请先完成车辆清洁消杀并勾选确认。" in response.content.decode()
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SCHEDULED

    response = client.post(url, {"odometer": "10005", "disinfected": "on"})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == Trip.Status.IN_PROGRESS and trip.start_odometer == Decimal("10005.0")

    url = reverse("fleet:trip_end", args=[trip.pk])
    response = client.post(url, {"odometer": "10000", "disinfected": "on"})
    assert "收车里程不能小于出车里程 10005.0。" in response.content.decode()
    response = client.post(url, {"odometer": "10060", "disinfected": "on", "tolls": "-5"})
    assert "金额不能为负数。" in response.content.decode()
    trip.refresh_from_db()
    assert trip.status == Trip.Status.IN_PROGRESS

    response = client.post(
        url,
        {
            "odometer": "10060.5",
            "disinfected": "on",
            "tolls": "15",
            "parking": "10",
            "fuel_liters": "30",
            "fuel_cost": "240",
            "fuel_station": "路边加油站",
            "notes": "",
        },
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    vehicle.refresh_from_db()
    approved.refresh_from_db()
    assert trip.status == Trip.Status.COMPLETED
    assert trip.km == Decimal("55.5") and trip.tolls == Decimal("15.00")
    assert vehicle.odometer_km == Decimal("10060.5")
    assert approved.status == TripRequest.Status.COMPLETED
    fuel = FuelRecord.objects.get()
    assert fuel.off_fixed_station and fuel.trip == trip

    # The requester rates it.
    client.force_login(staff_x)
    detail = reverse("fleet:request_detail", args=[approved.pk])
    assert "满意度评价" in client.get(detail).content.decode()
    client.post(reverse("fleet:request_rate", args=[approved.pk]), {"rating": "5", "comment": "好"})
    approved.refresh_from_db()
    assert approved.rating == 5 and approved.rating_comment == "好"
    assert "满意度评价" not in client.get(detail).content.decode()


# ------------------------------------------------------------------ vehicles


def vehicle_form(**overrides):
    data = {
        "plate": "京b88888",
        "brand_model": "比亚迪汉",
        "category": "other",
        "energy": "electric",
        "seats": "5",
        "displacement": "",
        "purchase_price": "200000",
        "purchase_date": "2023-01-10",
        "funding_source": "财政拨款",
        "owner_agency": "",
        "fixed_parking": "区政府地下车库",
        "fixed_fuel_station": "国网城东充电站",
        "fixed_repair_shop": "城东汽修厂",
        "responsible_driver": "",
        "insurance_expiry": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "inspection_expiry": "2030-01-01",
        "odometer_km": "1200",
        "status": "in_service",
    }
    data.update(overrides)
    return data


def test_vehicle_create_edit_and_list(client, dispatcher, driver, vehicle):
    client.force_login(dispatcher)
    response = client.post(
        reverse("fleet:vehicle_create"), vehicle_form(responsible_driver=driver.pk)
    )
    created = Vehicle.objects.get(plate="京B88888")
    assert response.status_code == 302
    assert created.responsible_driver == driver and created.energy == "electric"

    response = client.post(reverse("fleet:vehicle_create"), vehicle_form(plate="京a12345"))
    assert "车牌号已登记。" in response.content.decode()
    response = client.post(reverse("fleet:vehicle_create"), vehicle_form(plate="", seats="0"))
    html = response.content.decode()
    assert "请填写车牌号。" in html and "座位数必须大于 0。" in html
    assert Vehicle.objects.count() == 2

    url = reverse("fleet:vehicle_edit", args=[created.pk])
    assert "比亚迪汉" in client.get(url).content.decode()
    response = client.post(url, vehicle_form(odometer_km="100"))
    assert "里程不能倒退。" in response.content.decode()
    created.refresh_from_db()
    assert created.odometer_km == Decimal("1200.0")
    response = client.post(url, vehicle_form(brand_model="比亚迪汉EV", odometer_km="1300"))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.brand_model == "比亚迪汉EV" and created.odometer_km == Decimal("1300.0")

    html = client.get(reverse("fleet:vehicle_list")).content.decode()
    assert "京B88888" in html and "京A12345" in html
    assert "即将到期" in html  # insurance within 30 days
    html = client.get(reverse("fleet:vehicle_list"), {"energy": "electric"}).content.decode()
    assert "京B88888" in html and "京A12345" not in html
    export = client.get(reverse("fleet:vehicle_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_vehicle_seal(client, dispatcher, vehicle, trip, tomorrow):
    client.force_login(dispatcher)
    url = reverse("fleet:vehicle_seal", args=[vehicle.pk])
    fmt = "%Y-%m-%dT%H:%M"
    local = timezone.localtime(tomorrow)
    response = client.post(
        url,
        {"starts_at": local.strftime(fmt), "ends_at": (local + H).strftime(fmt), "reason": "节日"},
    )
    assert "封存期间该车已有出车任务" in response.content.decode()
    response = client.post(
        url,
        {"starts_at": (local + H).strftime(fmt), "ends_at": local.strftime(fmt), "reason": "x"},
    )
    assert "结束时间必须晚于开始时间。" in response.content.decode()
    assert not VehicleSeal.objects.exists()
    later = local + dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "starts_at": later.strftime(fmt),
            "ends_at": (later + 24 * H).strftime(fmt),
            "reason": "国庆封存",
        },
    )
    assert response.status_code == 302
    assert VehicleSeal.objects.get().reason == "国庆封存"
    assert (
        "国庆封存" in client.get(reverse("fleet:vehicle_edit", args=[vehicle.pk])).content.decode()
    )


def test_fuel_and_repair_records_flag_off_fixed(client, dispatcher, vehicle):
    client.force_login(dispatcher)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("fleet:fuel_add", args=[vehicle.pk]),
        {"date": today, "fuel_liters": "40", "fuel_cost": "320", "fuel_station": "中石化城东站"},
    )
    client.post(
        reverse("fleet:fuel_add", args=[vehicle.pk]),
        {"date": today, "fuel_liters": "20", "fuel_cost": "160", "fuel_station": "高速服务区"},
    )
    response = client.post(
        reverse("fleet:fuel_add", args=[vehicle.pk]),
        {"date": today, "fuel_liters": "0", "fuel_cost": "10", "fuel_station": "高速服务区"},
    )
    assert "加油量必须大于 0。" in response.content.decode()
    assert FuelRecord.objects.count() == 2
    assert FuelRecord.objects.get(station="高速服务区").off_fixed_station
    assert not FuelRecord.objects.get(station="中石化城东站").off_fixed_station
    client.post(
        reverse("fleet:repair_add", args=[vehicle.pk]),
        {
            "kind": "repair",
            "date": today,
            "shop": "路边修理店",
            "description": "更换轮胎",
            "cost": "600",
        },
    )
    html = client.get(reverse("fleet:vehicle_edit", args=[vehicle.pk])).content.decode()
    fuel_table = html.split("data-fuel")[1].split("</table>")[0]
    assert fuel_table.count("非定点") == 1 and "高速服务区" in fuel_table
    repairs = html.split("data-repairs")[1].split("</table>")[0]
    assert "路边修理店" in repairs and "非定点" in repairs
    assert "style=" not in html


def test_statistics_xlsx(client, dispatcher, vehicle):
    pytest.importorskip("houqin.fleet.statistics")
    client.force_login(dispatcher)
    response = client.get(reverse("fleet:statistics_xlsx"), {"year": timezone.localdate().year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
