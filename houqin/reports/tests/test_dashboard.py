"""The leader dashboard and the city view: known counts on a small data set, another center's
rows not counted, a constant number of queries, the xlsx export, permissions."""

import datetime as dt
import io
import uuid
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.canteen.models import MealOrder, Menu
from houqin.canteen.services import wallets
from houqin.canteen.tests.factories import make_menu
from houqin.core.duties.models import DutyTask
from houqin.core.roles import Role
from houqin.fleet.models import Driver, Trip, Vehicle
from houqin.maintenance.models import WorkOrder
from houqin.meetings.models import Booking, Room
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.reports import dashboard as data
from houqin.security.models import Visit, Visitor

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
H = dt.timedelta(hours=1)
YEAR = timezone.localdate().year


def at(month, day, hour=8, minute=0):
    return dt.datetime(YEAR, month, day, hour, minute, tzinfo=TZ)


def today_at(hour, minute=0):
    return dt.datetime.combine(timezone.localdate(), dt.time(hour, minute), tzinfo=TZ)


def build(center, agency, n, offset=0):
    """n rows per module for center: n meetings today (confirmed) and n served in January,
    n cars out and n trips completed in February, n meals ordered for today and n collected in
    March, n open work orders reported in April, n visitors on site let in in May, n overdue
    duty tasks. `offset` keeps times, numbers and names apart when called twice."""
    tag = f"{center.code}{offset}"
    booker = make_user(PersonFactory(agency=agency, name=f"预订人{tag}"), username=f"bk{tag}")
    room, _ = Room.objects.get_or_create(
        center=center, name="会议室", defaults={"kind": Room.Kind.MEDIUM, "capacity": 30}
    )
    for i in range(offset, offset + n):
        common = {"center": center, "room": room, "agency": agency, "booker": booker}
        Booking.objects.create(
            **common,
            title=f"今日会议{i}",
            starts_at=today_at(0, 0) + i * dt.timedelta(minutes=30),
            ends_at=today_at(0, 0) + i * dt.timedelta(minutes=30) + dt.timedelta(minutes=20),
            attendees_expected=5,
            status=Booking.Status.CONFIRMED,
        )
        Booking.objects.create(
            **common,
            title=f"一月会议{i}",
            starts_at=at(1, 10, 8) + i * H,
            ends_at=at(1, 10, 8) + i * H + dt.timedelta(minutes=50),
            attendees_expected=5,
            attendees_actual=5,
            status=Booking.Status.SERVED,
            served_at=at(1, 10, 8) + i * H + dt.timedelta(minutes=50),
        )
    # A cancelled booking today and a confirmed one not served in January: not counted.
    Booking.objects.create(
        center=center,
        room=room,
        agency=agency,
        booker=booker,
        title="取消的会议",
        starts_at=today_at(23, 0),
        ends_at=today_at(23, 30),
        attendees_expected=5,
        status=Booking.Status.CANCELLED,
    )

    vehicle = Vehicle.objects.create(
        center=center,
        plate=f"桂K·{tag}",
        brand_model="大众帕萨特",
        seats=5,
        fixed_fuel_station="加油站",
        fixed_repair_shop="汽修厂",
    )
    driver_user = make_user(PersonFactory(agency=agency, name=f"驾驶员{tag}"), Role.DRIVER)
    driver = Driver.objects.create(center=center, user=driver_user, licence_class="B2")
    for i in range(offset, offset + n):
        common = {
            "center": center,
            "vehicle": vehicle,
            "driver": driver,
            "dispatched_by": booker,
            "route": "城区",
        }
        Trip.objects.create(
            **common,
            number=f"OUT{tag}{i}",
            starts_at=at(1, 20) + i * 2 * H,
            ends_at=at(1, 20) + i * 2 * H + H,
            status=Trip.Status.IN_PROGRESS,
            started_at=at(1, 20) + i * 2 * H,
        )
        Trip.objects.create(
            **common,
            number=f"FEB{tag}{i}",
            starts_at=at(2, 10) + i * 2 * H,
            ends_at=at(2, 10) + i * 2 * H + H,
            status=Trip.Status.COMPLETED,
            started_at=at(2, 10) + i * 2 * H,
            ended_at=at(2, 10) + i * 2 * H + H,
            start_odometer=Decimal("100"),
            end_odometer=Decimal("120"),
        )

    today_menu = menu(center, timezone.localdate())
    march_menu = menu(center, dt.date(YEAR, 3, 10))
    for i in range(offset, offset + n):
        person = PersonFactory(agency=agency, name=f"就餐人{tag}{i}")
        wallet = wallets.wallet_get_or_open(person=person)
        common = {"center": center, "person": person, "agency": agency, "wallet": wallet}
        MealOrder.objects.create(
            **common,
            menu=today_menu,
            total=Decimal("15"),
            pickup_code=f"{i:06d}",
            pickup_token=uuid.uuid4().hex,
        )
        MealOrder.objects.create(
            **common,
            menu=march_menu,
            total=Decimal("15"),
            status=MealOrder.Status.COLLECTED,
            collected_at=at(3, 10, 12),
            pickup_code=f"{i:06d}",
            pickup_token=uuid.uuid4().hex,
        )

    for i in range(offset, offset + n):
        WorkOrder.objects.create(
            center=center,
            number=f"WO{tag}{i}",
            category="water",
            description="漏水",
            response_due_at=at(4, 6),
            due_at=at(4, 7),
            status=WorkOrder.Status.NEW if i % 2 else WorkOrder.Status.IN_PROGRESS,
        )
    WorkOrder.objects.create(
        center=center,
        number=f"WO{tag}done",
        category="water",
        description="已修好",
        response_due_at=at(4, 6),
        due_at=at(4, 7),
        status=WorkOrder.Status.CLOSED,
        completion_note="已修复",
        finished_at=at(4, 5, 10),
        closed_at=at(4, 5, 11),
    )
    WorkOrder.objects.filter(center=center, number__startswith=f"WO{tag}").update(
        created_at=at(4, 5)
    )

    for i in range(offset, offset + n):
        visitor = Visitor.objects.create(center=center, name=f"访客{tag}{i}")
        Visit.objects.create(
            center=center,
            visitor=visitor,
            host_agency=agency,
            purpose="办事",
            status=Visit.Status.IN,
            party_size=2,
            entered_at=at(5, 5, 9) + i * H,
        )

    now = timezone.now()
    for i in range(offset, offset + n):
        DutyTask.objects.create(
            center=center,
            title=f"逾期任务{tag}{i}",
            due_at=now - dt.timedelta(days=2),
            late_after=now - dt.timedelta(days=1),
        )
    DutyTask.objects.create(  # due later: not overdue
        center=center,
        title=f"未到期任务{tag}",
        due_at=now + dt.timedelta(days=2),
        late_after=now + dt.timedelta(days=3),
    )


def menu(center, day):
    return Menu.objects.filter(center=center, date=day, meal="lunch").first() or make_menu(
        center, day, "lunch"
    )


@pytest.fixture
def leader_a(agency_x):
    return make_user(
        PersonFactory(agency=agency_x, name="领导甲"), Role.LEADER, username="leader_a"
    )


def tiles_of(center):
    return {t.key: t.value for t in data.today_tiles(center)}


EXPECTED_TILES = {
    "meetings_today": 2,
    "cars_out": 2,
    "meals_today": 2,
    "open_orders": 2,
    "visitors_on_site": 2,
    "overdue_duties": 2,
}


def test_tiles_and_trends_known_counts(center_a, agency_x, center_b, agency_b):
    build(center_a, agency_x, 2)
    build(center_b, agency_b, 3)  # another center: never counted for A
    assert tiles_of(center_a) == EXPECTED_TILES
    assert tiles_of(center_b) == dict.fromkeys(EXPECTED_TILES, 3)
    trends = data.monthly_trends(center_a, YEAR)
    expected = {
        "meetings": 0,
        "trips": 1,
        "meals": 2,
        "work_orders": 3,
        "visitors": 4,
    }
    for key, month_index in expected.items():
        row = trends[key]
        assert row[month_index] == (2 if key != "work_orders" else 3), key  # + the closed one
        assert sum(row) == row[month_index], key


def test_dashboard_page(client, leader_a, center_a, agency_x, center_b, agency_b):
    build(center_a, agency_x, 2)
    build(center_b, agency_b, 3)
    client.force_login(leader_a)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    tiles = {t.key: t for t in response.context["tiles"]}
    assert {k: t.value for k, t in tiles.items()} == EXPECTED_TILES
    assert all(t.url for t in tiles.values())
    body = response.content.decode()
    assert 'id="chart-trends"' in body
    assert 'id="reports-dashboard-data"' in body
    assert f'href="{reverse("reports:dashboard")}"' in body  # the menu entry
    assert "<script>" not in body.replace('<script type="application/json"', "")
    assert tiles["open_orders"].url == reverse("maintenance:board")
    for tile in tiles.values():
        assert f'href="{tile.url.replace("&", "&amp;")}"' in body
    chart = response.context["chart_data"]
    meals = next(s for s in chart["trends"] if s["key"] == "meals")
    assert meals["data"][2] == 2


def test_dashboard_constant_queries(client, leader_a, center_a, agency_x):
    build(center_a, agency_x, 2)
    client.force_login(leader_a)
    url = reverse("reports:dashboard")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build(center_a, agency_x, 8, offset=2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert {t.key: t.value for t in response.context["tiles"]} == dict.fromkeys(EXPECTED_TILES, 10)
    assert len(large) == len(small)
    assert len(large) <= 40


def test_export_xlsx(client, leader_a, center_a, agency_x):
    build(center_a, agency_x, 2)
    client.force_login(leader_a)
    response = client.get(reverse("reports:dashboard"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["今日", "月度趋势", "预算执行", "能耗指标"]
    today = {row[0]: row[1] for row in book["今日"].iter_rows(min_row=2, values_only=True)}
    assert today["今日订餐"] == 2
    trends = {row[0]: row for row in book["月度趋势"].iter_rows(min_row=2, values_only=True)}
    assert trends["供餐"][3] == 2  # March
    assert trends["供餐"][-1] == 2  # the year's total


def test_staff_forbidden(client, staff_x):
    client.force_login(staff_x)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:city")).status_code == 403


def test_center_admin_allowed(client, admin_a):
    client.force_login(admin_a)
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_empty_center(client, leader_a):
    client.force_login(leader_a)
    response = client.get(reverse("reports:dashboard"), {"year": "1990"})  # ignored: this year
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    body = response.content.decode()
    assert "data-no-budget" in body
    assert "data-no-energy" in body


def test_city_view_own_center_only(client, leader_a, center_a, agency_x, center_b, agency_b):
    build(center_a, agency_x, 2)
    build(center_b, agency_b, 3)
    client.force_login(leader_a)
    response = client.get(reverse("reports:city"))
    assert response.status_code == 200
    assert response.context["centers"] == [center_a]
    body = response.content.decode()
    assert center_a.name in body
    assert center_b.name not in body
    assert "data-single" in body
    meals = next(r for r in response.context["rows"] if r["label"].startswith("供餐"))
    assert meals["values"] == [2]
    export = client.get(reverse("reports:city"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.active
    assert sheet.cell(1, 2).value == center_a.name


def test_tile_links_open_for_leader_and_admin(client, leader_a, admin_a, center_a, agency_x):
    for user in (leader_a, admin_a):
        client.force_login(user)
        for tile in data.today_tiles(center_a, user=user):
            assert tile.url, tile.key
            assert client.get(tile.url).status_code == 200, (user.username, tile.key)


def test_budget_execution(client, leader_a, center_a, center_b):
    from houqin.finance.models import BudgetProject, Expenditure

    def project(center, code, amount):
        return BudgetProject.objects.create(
            center=center,
            year=YEAR,
            code=code,
            name=f"项目{code}",
            category=BudgetProject.Category.PROJECT,
            source=BudgetProject.Source.GENERAL,
            amount=Decimal(amount),
        )

    p1 = project(center_a, "P1", "100000")
    project(center_a, "P2", "300000")
    project(center_b, "P9", "999999")
    Expenditure.objects.create(
        center=center_a,
        project=p1,
        date=dt.date(YEAR, 1, 5),
        amount=Decimal("40000"),
        payee="供应商",
        purpose="采购",
        status=Expenditure.Status.RECORDED,
    )
    client.force_login(leader_a)
    response = client.get(reverse("reports:dashboard"))
    rows = response.context["budget_rows"]
    assert [r["name"] for r in rows] == ["P1 项目P1", "P2 项目P2", "合计"]
    assert rows[-1]["budget"] == Decimal("400000")
    assert rows[-1]["rate"] == Decimal("10.00")
    chart = response.context["chart_data"]["budget"]
    assert chart["has_data"] and chart["values"][1] == 10.0
    body = response.content.decode()
    assert 'id="chart-budget"' in body
    city = client.get(reverse("reports:city"))
    rate = next(r for r in city.context["rows"] if r["label"].startswith("预算执行率"))
    assert rate["values"] == [Decimal("10.00")]


def test_energy_indicators_against_target(client, leader_a, center_a):
    from houqin.energy.models import EnergyTarget, Institution, InstitutionYear, Meter, MeterReading

    office = Institution.objects.create(center=center_a, name="区行政中心")
    for year in (YEAR - 1, YEAR):
        InstitutionYear.objects.create(
            institution=office, year=year, floor_area=Decimal("1000"), headcount=10
        )
    meter = Meter.objects.create(
        center=center_a,
        institution=office,
        kind="electricity",
        code="E1",
        name="总电表",
        mode=Meter.Mode.CONSUMPTION,
    )
    for year, kwh in ((YEAR - 1, "10000"), (YEAR, "9000")):
        MeterReading.objects.create(
            meter=meter, month=dt.date(year, 1, 1), value=Decimal(kwh), consumption=Decimal(kwh)
        )
    EnergyTarget.objects.create(
        center=center_a,
        base_year=YEAR - 1,
        target_year=YEAR + 2,
        per_area_pct=Decimal("6"),
        per_capita_pct=Decimal("6"),
        water_pct=Decimal("6"),
    )
    client.force_login(leader_a)
    response = client.get(reverse("reports:dashboard"))
    rows = {r["name"]: r for r in response.context["energy_rows"]}
    per_area = rows["单位建筑面积能耗"]
    assert per_area["change_pct"] == Decimal("-10.00")  # January against January
    assert per_area["expected_pct"] == Decimal("-2.00")  # 6 % over 3 years, 1 elapsed
    assert per_area["on_track"]
    chart = response.context["chart_data"]["energy"]
    assert chart["change"][0] == -10.0
    assert 'id="chart-energy"' in response.content.decode()


def test_city_view_shows_each_subordinate_center(
    client, leader_a, center_a, agency_x, center_b, agency_b
):
    """A city center's leader sees every district under it side by side (figures only); a
    district leader still sees only their own; a center outside the city is not shown."""
    from houqin.org.models import OrgUnit
    from houqin.org.tests.factories import make_center, make_unit

    city = make_center("XX市机关后勤服务中心", code="CITY")
    OrgUnit.objects.filter(pk__in=[center_a.pk, center_b.pk]).update(upper_center=city)
    other = make_center("丙区机关后勤服务中心", code="C")
    build(center_a, agency_x, 2)
    build(center_b, agency_b, 3)
    build(other, make_unit(other, "丙区财政局", code="Z"), 4)
    city_office = make_unit(city, "市后勤中心办公室", kind=OrgUnit.Kind.SECTION)
    city_leader = make_user(
        PersonFactory(center=city, agency=city, section=city_office, name="市领导"),
        Role.LEADER,
        username="city_leader",
    )
    client.force_login(city_leader)
    response = client.get(reverse("reports:city"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["centers"]] == [center_a.pk, center_b.pk]
    meals = next(r for r in response.context["rows"] if r["label"].startswith("供餐"))
    assert meals["values"] == [2, 3]
    body = response.content.decode()
    assert other.name not in body and "data-single" not in body
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:city"), {"export": "xlsx"}).content)
    )
    assert [c.value for c in book.active[1]][1:] == [center_a.name, center_b.name]

    client.force_login(leader_a)
    assert client.get(reverse("reports:city")).context["centers"] == [center_a]


def test_upper_center_must_be_a_center(center_a, agency_x):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from houqin.org.models import OrgUnit
    from houqin.org.tests.factories import make_center

    with pytest.raises(ValidationError):
        make_center_under(agency_x)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=agency_x.pk).update(upper_center=center_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=center_a.pk).update(upper_center=center_a)
    assert make_center("丁区机关后勤服务中心").upper_center is None


def make_center_under(upper):
    from houqin.org import services

    return services.center_create(actor=None, name="戊区机关后勤服务中心", upper_center=upper)
