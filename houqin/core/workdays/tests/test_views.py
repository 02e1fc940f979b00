"""The workday calendar page: overrides by year, add/edit/delete, the 60-day preview, the
warning for an unknown year and the administrator's to-do."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.core.models import AuditLogEntry
from houqin.core.workdays import calendar
from houqin.core.workdays.models import HolidayOverride
from houqin.core.workdays.services import holiday_override_set
from houqin.core.workdays.todos import calendar_todos

D = dt.date
pytestmark = pytest.mark.django_db

PAGE = "/calendar/"
NEW = "/calendar/new/"


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a)
    return client


@pytest.fixture
def late_2026(monkeypatch):
    """Pretend today is 2026-11-25: the package knows 2026, nobody knows 2027 yet."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 11, 25))


def _form(date, kind="holiday", name="元旦", end_date=""):
    return {"date": date, "end_date": end_date, "day_type": kind, "name": name}


def test_page_renders_with_menu_and_preview(admin_client, late_2026):
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作日历" in html and "未来 60 天" in html
    assert 'href="/calendar/"' in html  # the sidebar menu item
    days = [d for d in response.context["preview"] if d]
    assert len(days) == 60 and days[0].date == D(2026, 11, 25)
    assert response.context["preview"][:2] == [None, None]  # a Wednesday: two blanks
    assert "workdays/workdays.css" in html and "style=" not in html


def test_warning_shown_for_an_unknown_year(admin_client, late_2026):
    html = admin_client.get(PAGE).content.decode()
    assert "alert-warning" in html
    assert "2027 年节假日安排尚未录入" in html
    assert "系统尚未掌握 2027 年的法定节假日和调休安排" in html
    # Dates of 2027 in the preview are marked as assumed Monday-to-Friday.
    html_days = admin_client.get(PAGE).context["preview"]
    assert [d.known for d in html_days if d and d.date.year == 2027] == [False] * 23


def test_preview_shows_holidays_and_adjusted_workdays(admin_client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 9, 15))
    days = {d.date: d for d in admin_client.get(PAGE).context["preview"] if d}
    assert not days[D(2026, 10, 1)].is_workday and days[D(2026, 10, 1)].name == "国庆节"
    assert days[D(2026, 9, 20)].is_workday and days[D(2026, 9, 20)].name == "国庆节调休"
    assert days[D(2026, 10, 12)].is_workday and days[D(2026, 10, 12)].name == ""


def test_add_override_then_warning_goes_and_it_is_audited(admin_client, admin_a, late_2026):
    response = admin_client.post(NEW, _form("2027-01-01"))
    assert response.status_code == 302 and response.url == "/calendar/?year=2027"
    override = HolidayOverride.objects.get()
    assert (override.date, override.is_workday, override.name) == (D(2027, 1, 1), False, "元旦")
    assert override.created_by == admin_a
    assert not calendar.is_workday(D(2027, 1, 1))
    html = admin_client.get(PAGE + "?year=2027").content.decode()
    assert "alert-warning" not in html and "元旦" in html
    assert AuditLogEntry.objects.filter(content_type__model="holidayoverride").count() == 1


def test_add_a_range_and_an_adjusted_workday(admin_client):
    admin_client.post(NEW, _form("2027-10-01", name="国庆节", end_date="2027-10-07"))
    admin_client.post(NEW, _form("2027-10-09", kind="workday", name="国庆节调休"))
    assert HolidayOverride.objects.filter(is_workday=False, name="国庆节").count() == 7
    assert calendar.is_workday(D(2027, 10, 9))  # a Saturday
    assert calendar.workdays_between(D(2027, 10, 1), D(2027, 10, 11)) == [
        D(2027, 10, 8),
        D(2027, 10, 9),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_form("2027-01-01", name=""), "请填写名称"),
        (_form("2027-01-01", name="   "), "请填写名称"),
        (_form("2027-13-45"), "请输入有效的日期"),
        (_form("明天"), "请输入有效的日期"),
        (_form(""), "请选择日期"),
        (_form("2027-01-01", kind=""), "请选择放假或上班"),
        (_form("2027-01-05", end_date="2027-01-01"), "截止日期不能早于开始日期"),
        (_form("2027-01-01", end_date="2027-03-01"), "一次最多录入 31 天"),
        (_form("1999-01-01"), "2000 年至 2100 年"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_written(admin_client, data, message):
    response = admin_client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HolidayOverride.objects.exists()


def test_a_date_already_entered_is_refused(admin_client, admin_a):
    holiday_override_set(actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦")
    response = admin_client.post(NEW, _form("2026-12-31", name="跨年", end_date="2027-01-02"))
    assert "以下日期已有记录，请直接编辑：2027-01-01" in response.content.decode()
    assert HolidayOverride.objects.count() == 1


def test_edit_override(admin_client, admin_a):
    override = holiday_override_set(
        actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦"
    )
    url = reverse("workdays:override_edit", args=[override.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _form("2027-01-02", kind="workday", name="元旦调休"))
    assert response.status_code == 302
    override.refresh_from_db()
    assert (override.date, override.is_workday, override.name) == (D(2027, 1, 2), True, "元旦调休")
    other = holiday_override_set(actor=admin_a, date=D(2027, 1, 3), is_workday=False, name="x")
    response = admin_client.post(url, _form("2027-01-03", name="元旦"))
    assert "2027-01-03 已有记录" in response.content.decode()
    response = admin_client.post(url, _form("2027-01-02", name=""))
    assert "请填写名称" in response.content.decode()
    override.refresh_from_db()
    other.refresh_from_db()
    assert override.name == "元旦调休" and other.name == "x"


def test_delete_override(admin_client, admin_a, late_2026):
    override = holiday_override_set(
        actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦"
    )
    url = reverse("workdays:override_delete", args=[override.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "已删除 2027-01-01 元旦（放假）" in response.content.decode()
    assert not HolidayOverride.objects.exists()
    assert "alert-warning" in response.content.decode()  # 2027 unknown again
    assert admin_client.post(url).status_code == 404


def test_list_by_year_filter_export_and_constant_queries(admin_client, admin_a):
    holiday_override_set(actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦")
    holiday_override_set(actor=admin_a, date=D(2028, 1, 1), is_workday=False, name="元旦")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    url = PAGE + "?year=2027"
    few = count(url)
    admin_client.post(NEW, _form("2027-10-01", name="国庆节", end_date="2027-10-07"))
    admin_client.post(NEW, _form("2027-02-10", name="春节", end_date="2027-02-17"))
    assert count(url) == few
    table = admin_client.get(url).context["table"]
    assert table.paginator.count == 16
    assert admin_client.get(PAGE + "?year=2028").context["table"].paginator.count == 1
    assert admin_client.get(url + "&is_workday=true").context["table"].paginator.count == 0
    assert admin_client.get(PAGE + "?year=abc").status_code == 200  # falls back to this year
    response = admin_client.get(url + "&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["日期", "星期", "安排", "名称", "录入人"]
    assert sheet.max_row == 17 and sheet["C2"].value == "放假" and sheet["E2"].value == "管理员甲"


@pytest.mark.parametrize("who", ["staff_x", "liaison_x", "auditor_a"])
def test_only_calendar_administrators(client, request, who, admin_a):
    override = holiday_override_set(
        actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦"
    )
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.post(NEW, _form("2027-01-02")).status_code == 403
    assert client.post(reverse("workdays:override_edit", args=[override.pk])).status_code == 403
    assert client.post(reverse("workdays:override_delete", args=[override.pk])).status_code == 403
    assert HolidayOverride.objects.count() == 1


def test_todo_for_calendar_administrators(admin_a, staff_x, late_2026):
    count, items = calendar_todos(admin_a, 10)
    assert count == 1 and items[0].title == "录入 2027 年节假日安排"
    assert items[0].url == "/calendar/"
    assert calendar_todos(staff_x, 10) == (0, [])
    holiday_override_set(actor=admin_a, date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert calendar_todos(admin_a, 10) == (0, [])


def test_first_unknown_year():
    assert calendar.first_unknown_year(D(2026, 11, 25)) == 2027
    assert calendar.first_unknown_year(D(2025, 3, 1)) is None
