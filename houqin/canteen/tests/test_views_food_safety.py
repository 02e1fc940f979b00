"""The food-safety pages: happy paths, errors on the form, scoping and query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.canteen.models import (
    CanteenWorker,
    FoodSafetyPlan,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from houqin.canteen.services import food_safety as svc
from houqin.core.duties.models import DutyPlan
from houqin.core.roles import Role
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory, make_user

from .conftest import DAY, MORNING
from .factories import make_dish, make_menu, make_slots

pytestmark = pytest.mark.django_db


class Clock:
    now = MORNING


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The pages read the clock: it is DAY 08:00 (Shanghai) unless a test moves it."""
    Clock.now = MORNING
    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def travel(client, canteen_manager, clock):
    """Move the clock and sign in again (sessions expire after 30 idle minutes)."""

    def go(when):
        clock.now = when
        client.force_login(canteen_manager)

    return go


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def today():
    return DAY


@pytest.fixture
def manager_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙区食堂管理员"),
        Role.CANTEEN_MANAGER,
        username="canteen_b",
    )


@pytest.fixture
def manager(client, canteen_manager):
    client.force_login(canteen_manager)
    return canteen_manager


def make_worker(center, actor, name, expires=None, **fields):
    return svc.canteen_worker_create(
        actor=actor,
        center=center,
        name=name,
        health_cert_no=f"JK-{name}" if expires else "",
        health_cert_expires=expires,
        **fields,
    )


@pytest.fixture
def worker(center_a, canteen_manager, today):
    return make_worker(center_a, canteen_manager, "王师傅", today + dt.timedelta(days=365))


@pytest.fixture
def todays_lunch(center_a, slots, dishes, today):
    return make_menu(center_a, today, "lunch", dishes)


def purchase_data(today, **changes):
    data = {
        "purchased_on": today.isoformat(),
        "item_name": "大米",
        "spec": "25kg/袋",
        "quantity": "10",
        "unit": "袋",
        "production_date": (today - dt.timedelta(days=30)).isoformat(),
        "batch_no": "B001",
        "expires_on": (today + dt.timedelta(days=300)).isoformat(),
        "supplier_name": "某粮油有限公司",
        "supplier_address": "甲区工业路 8 号",
        "supplier_contact": "0571-88880000",
        "certificate_no": "",
        "result": "accepted",
        "note": "",
    }
    data.update(changes)
    return data


def sample_rows(menu, weight="150", sealed=True):
    data = {"sealed": "on"} if sealed else {}
    for item in menu.items.all():
        data[f"weight_grams_{item.dish_id}"] = weight
        data[f"kept_by_{item.dish_id}"] = "王芳"
        data[f"fridge_{item.dish_id}"] = "1号"
    return data


# ----------------------------------------------------------------------------- overview


def test_overview_offers_setup_then_shows_the_four_duties(client, manager, slots, worker):
    url = reverse("canteen:food_safety")
    page = client.get(url).content.decode()
    assert "data-plans-missing" in page
    assert reverse("canteen:food_safety_setup") in page
    assert reverse("duties:compliance") + "?category=food_safety" in page

    response = client.post(reverse("canteen:food_safety_setup"))
    assert response.status_code == 302
    assert FoodSafetyPlan.objects.count() == 4
    assert DutyPlan.objects.filter(category=DutyPlan.Category.FOOD_SAFETY).count() == 4
    page = client.get(url).content.decode()
    assert "data-plans-missing" not in page
    for label in ("晨检", "食品留样", "进货查验", "餐具消毒"):
        assert label in page
    # Setting up twice is harmless.
    response = client.post(reverse("canteen:food_safety_setup"), follow=True)
    assert "无需重复生成" in response.content.decode()
    assert FoodSafetyPlan.objects.count() == 4


def test_setup_error_is_shown(client, manager):
    response = client.post(reverse("canteen:food_safety_setup"), follow=True)
    assert "请先在“餐次设置”中启用至少一个餐次" in response.content.decode()
    assert not FoodSafetyPlan.objects.exists()


def test_overview_lists_unfit_certificates_and_samples_to_discard(
    client, manager, center_a, canteen_manager, worker, todays_lunch, today
):
    expired = make_worker(center_a, canteen_manager, "李阿姨", today - dt.timedelta(days=1))
    svc.morning_check_record(
        actor=canteen_manager,
        center=center_a,
        date=today,
        entries=[
            {"worker": worker, "temperature": "38.1"},
            {"worker": expired, "temperature": "36.4"},
        ],
    )
    old = make_menu(center_a, today - dt.timedelta(days=3), "dinner", [make_dish(center_a, "汤")])
    sample = SampleRetention.objects.create(
        center=center_a,
        menu=old,
        dish=old.items.get().dish,
        weight_grams=150,
        kept_at=timezone.now() - dt.timedelta(hours=60),
        kept_by="王芳",
        discard_after=timezone.now() - dt.timedelta(hours=12),
        recorded_by=canteen_manager,
    )
    page = client.get(reverse("canteen:food_safety")).content.decode()
    assert page.count("data-unfit") == 2
    assert "发热 38.1℃" in page
    assert "健康证已于" in page
    assert "data-cert" in page and "李阿姨" in page
    assert reverse("canteen:sample_discard", args=[sample.pk]) in page
    assert f"{reverse('canteen:sample_create')}?menu={todays_lunch.pk}" in page


# ----------------------------------------------------------------------------- workers


def test_worker_create_edit_and_deactivate(client, manager, center_a, today):
    response = client.post(
        reverse("canteen:worker_create"),
        {
            "name": "张师傅",
            "post": "面点",
            "health_cert_no": "JK1",
            "health_cert_expires": "2030-01-01",
        },
    )
    assert response.status_code == 302
    worker = CanteenWorker.objects.get(name="张师傅")
    assert worker.health_cert_expires == dt.date(2030, 1, 1)

    # A second active worker of the same name: the error is shown next to the field.
    response = client.post(reverse("canteen:worker_create"), {"name": "张师傅"})
    assert response.status_code == 200
    assert "已有同名的在岗从业人员" in response.content.decode()
    assert CanteenWorker.objects.count() == 1

    url = reverse("canteen:worker_edit", args=[worker.pk])
    assert "张师傅" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "张师傅", "post": "厨师", "health_cert_expires": "2031-01-01"}
    )
    assert response.status_code == 200  # a certificate date without its number
    assert "请同时填写健康证号" in response.content.decode()
    response = client.post(
        url, {"name": "张师傅", "post": "厨师", "health_cert_no": "JK1", "health_cert_expires": ""}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.post == "厨师" and worker.health_cert_expires is None

    assert client.post(reverse("canteen:worker_deactivate", args=[worker.pk])).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active


def test_worker_list_filters_and_export(client, manager, center_a, canteen_manager, today):
    make_worker(center_a, canteen_manager, "有证", today + dt.timedelta(days=400))
    make_worker(center_a, canteen_manager, "无证")
    page = client.get(reverse("canteen:worker_list"), {"cert": "missing"}).content.decode()
    assert "无证" in page and "有证" not in page
    response = client.get(reverse("canteen:worker_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


# ----------------------------------------------------------------------------- morning check


def test_morning_check_page_records_and_updates(client, manager, center_a, worker, today):
    url = reverse("canteen:morning_check")
    page = client.get(url).content.decode()
    assert f'name="temperature_{worker.pk}"' in page
    response = client.post(
        f"{url}?date={today.isoformat()}",
        {f"temperature_{worker.pk}": "36.6", f"sore_throat_{worker.pk}": "on"},
        follow=True,
    )
    assert "今日不宜从事直接入口食品工作" in response.content.decode()
    check = MorningCheck.objects.get()
    assert not check.fit_for_duty and check.sore_throat
    # The form shows the recorded values; submitting again updates the same row.
    page = client.get(url).content.decode()
    assert 'value="36.6"' in page
    client.post(url, {f"temperature_{worker.pk}": "36.5", f"note_{worker.pk}": "复查正常"})
    check = MorningCheck.objects.get()
    assert check.fit_for_duty and check.note == "复查正常"


def test_morning_check_errors_next_to_the_field(client, manager, center_a, worker, today):
    url = reverse("canteen:morning_check")
    response = client.post(url, {f"temperature_{worker.pk}": "45"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_temperature_{worker.pk}_error"' in page
    assert "34.0–43.0" in page
    response = client.post(url, {})
    assert "请至少登记一名从业人员的晨检结果" in response.content.decode()
    assert not MorningCheck.objects.exists()


def test_morning_check_completes_the_duty(client, travel, slots, worker):
    travel(at(6))
    client.post(reverse("canteen:food_safety_setup"))
    travel(at(7, 30))
    response = client.post(
        reverse("canteen:morning_check"), {f"temperature_{worker.pk}": "36.5"}, follow=True
    )
    assert "已自动完成“晨检”责任任务（按时）" in response.content.decode()
    page = client.get(reverse("canteen:food_safety")).content.decode()
    assert 'data-state="done"' in page


def test_late_record_is_reported_late(client, travel, slots, todays_lunch):
    travel(at(6))
    client.post(reverse("canteen:food_safety_setup"))
    travel(at(15))  # lunch ends 13:00; the sample task is late from 14:30
    url = f"{reverse('canteen:sample_create')}?menu={todays_lunch.pk}"
    response = client.post(url, sample_rows(todays_lunch), follow=True)
    assert "记为逾期" in response.content.decode()
    page = client.get(reverse("canteen:food_safety")).content.decode()
    assert 'data-state="overdue"' in page  # breakfast's sample was never recorded


def test_morning_check_bad_date_falls_back_to_today(client, manager, worker):
    response = client.get(reverse("canteen:morning_check"), {"date": "2026-13-01"})
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


# ----------------------------------------------------------------------------- samples


def test_sample_pages(client, manager, todays_lunch):
    picker = client.get(reverse("canteen:sample_create")).content.decode()
    assert f"?menu={todays_lunch.pk}" in picker
    url = f"{reverse('canteen:sample_create')}?menu={todays_lunch.pk}"
    page = client.get(url).content.decode()
    for item in todays_lunch.items.all():
        assert f'name="weight_grams_{item.dish_id}"' in page

    response = client.post(url, sample_rows(todays_lunch, weight="100"))
    assert response.status_code == 200
    assert "每样菜品留样不少于 125 克" in response.content.decode()
    response = client.post(url, sample_rows(todays_lunch, sealed=False))
    assert "请确认留样已密封冷藏并贴好标签" in response.content.decode()
    assert not SampleRetention.objects.exists()

    response = client.post(url, sample_rows(todays_lunch))
    assert response.status_code == 302
    assert SampleRetention.objects.filter(menu=todays_lunch).count() == 2
    assert "所有菜品均已留样" in client.get(url).content.decode()
    listing = client.get(reverse("canteen:sample_list")).content.decode()
    assert "红烧肉套餐" in listing and "冷藏中" in listing
    response = client.get(reverse("canteen:sample_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_sample_discard(client, manager, travel, canteen_manager, todays_lunch):
    client.post(
        f"{reverse('canteen:sample_create')}?menu={todays_lunch.pk}", sample_rows(todays_lunch)
    )
    sample = SampleRetention.objects.first()
    url = reverse("canteen:sample_discard", args=[sample.pk])
    response = client.post(url, follow=True)
    assert "后方可销毁" in response.content.decode()
    sample.refresh_from_db()
    assert sample.discarded_at is None
    travel(MORNING + dt.timedelta(hours=48))
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("canteen:sample_list")
    sample.refresh_from_db()
    assert sample.discarded_by == canteen_manager
    page = client.get(reverse("canteen:sample_list"), {"status": "discarded"}).content.decode()
    assert "已销毁" in page


# ----------------------------------------------------------------------------- purchases


def test_purchase_create_and_list(client, manager, today):
    response = client.post(reverse("canteen:purchase_create"), purchase_data(today))
    assert response.status_code == 302
    inspection = PurchaseInspection.objects.get()
    assert inspection.quantity == Decimal("10.00")
    assert inspection.keep_until == svc.keep_until_for(today, inspection.expires_on)

    response = client.post(
        reverse("canteen:purchase_create"), purchase_data(today, production_date="", batch_no="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写生产日期或生产批号" in page
    assert 'id="id_production_date_error"' in page
    response = client.post(
        reverse("canteen:purchase_create"), purchase_data(today, supplier_contact="")
    )
    assert 'id="id_supplier_contact_error"' in response.content.decode()
    assert PurchaseInspection.objects.count() == 1

    listing = client.get(reverse("canteen:purchase_list"), {"supplier": "粮油"}).content.decode()
    assert "大米" in listing
    listing = client.get(reverse("canteen:purchase_list"), {"result": "rejected"}).content.decode()
    assert "大米" not in listing
    response = client.get(reverse("canteen:purchase_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


# ----------------------------------------------------------------------------- permissions


MANAGER_PAGES = [
    "canteen:food_safety",
    "canteen:worker_list",
    "canteen:worker_create",
    "canteen:morning_check",
    "canteen:sample_list",
    "canteen:sample_create",
    "canteen:purchase_list",
    "canteen:purchase_create",
]


def test_staff_gets_403(client, staff_x, center_a, canteen_manager, worker, todays_lunch):
    client.force_login(staff_x)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("canteen:worker_edit", args=[worker.pk])).status_code == 403
    assert client.post(reverse("canteen:food_safety_setup")).status_code == 403
    assert client.post(reverse("canteen:worker_deactivate", args=[worker.pk])).status_code == 403
    assert (
        client.post(
            reverse("canteen:purchase_create"), purchase_data(timezone.localdate())
        ).status_code
        == 403
    )
    assert not PurchaseInspection.objects.exists()


def test_other_center_gets_404(client, manager_b, center_a, canteen_manager, worker, todays_lunch):
    svc.sample_record(
        actor=canteen_manager,
        menu=todays_lunch,
        entries=[
            {"dish": i.dish, "weight_grams": 150, "kept_by": "王芳"}
            for i in todays_lunch.items.all()
        ],
    )
    sample = SampleRetention.objects.first()
    client.force_login(manager_b)
    assert client.get(reverse("canteen:worker_edit", args=[worker.pk])).status_code == 404
    assert (
        client.post(reverse("canteen:worker_edit", args=[worker.pk]), {"name": "x"}).status_code
        == 404
    )
    assert client.post(reverse("canteen:worker_deactivate", args=[worker.pk])).status_code == 404
    url = f"{reverse('canteen:sample_create')}?menu={todays_lunch.pk}"
    assert client.get(url).status_code == 404
    assert client.post(reverse("canteen:sample_discard", args=[sample.pk])).status_code == 404
    # Their lists and morning check show nothing of center A.
    assert "王师傅" not in client.get(reverse("canteen:worker_list")).content.decode()
    assert "王师傅" not in client.get(reverse("canteen:morning_check")).content.decode()
    assert "红烧肉套餐" not in client.get(reverse("canteen:sample_list")).content.decode()
    worker.refresh_from_db()
    assert worker.is_active and worker.name == "王师傅"


# ----------------------------------------------------------------------------- query budgets


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(ctx)


def test_list_pages_run_a_constant_number_of_queries(
    client, manager, center_a, canteen_manager, today
):
    make_slots(center_a)
    dishes = [make_dish(center_a, f"菜{i}") for i in range(30)]

    def add(n, start):
        for i in range(start, start + n):
            make_worker(center_a, canteen_manager, f"员工{i}", today + dt.timedelta(days=i))
            menu = make_menu(center_a, today - dt.timedelta(days=i + 1), "lunch", [dishes[i]])
            SampleRetention.objects.create(
                center=center_a,
                menu=menu,
                dish=dishes[i],
                weight_grams=150,
                kept_at=timezone.now(),
                kept_by="王芳",
                discard_after=timezone.now() + dt.timedelta(hours=48),
                recorded_by=canteen_manager,
                discarded_by=canteen_manager if i % 2 else None,
                discarded_at=None,
            )
            svc.purchase_inspection_record(
                actor=canteen_manager,
                center=center_a,
                **purchase_data(today - dt.timedelta(days=i), item_name=f"食品{i}"),
            )

    pages = [
        reverse("canteen:worker_list"),
        reverse("canteen:sample_list"),
        reverse("canteen:purchase_list"),
        reverse("canteen:morning_check"),
        reverse("canteen:food_safety"),
    ]
    add(3, 0)
    few = [_queries(client, url) for url in pages]
    add(27, 3)
    assert [_queries(client, url) for url in pages] == few
