# ruff: noqa: F811  (fixtures imported from fixtures_register are used as parameters)
"""Readings pages: the monthly entry grid (saves a month, flags a low reading, one bad value
saves nothing), the xlsx import (a bad row writes nothing and is listed) and its template,
the list with filters and xlsx, confirming a flagged reading. Scoping (center B → 404),
permissions (staff → 403), constant queries."""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import Institution, Meter, MeterReading

from .fixtures_register import (  # noqa: F401  (fixtures)
    BEFORE,
    PREV,
    THIS_MONTH,
    leader_a,
    main_meter,
    make_meter,
    make_reading,
    meter_b,
    office_b,
    school,
    shift,
    water_meter,
)

pytestmark = pytest.mark.django_db
ENTRY = reverse("energy:reading_entry")


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


def ym(month):
    return f"{month:%Y-%m}"


def queries(client, path, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def xlsx(rows, headers=("表计编号", "月份", "读数/用量"), name="readings.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


# ------------------------------------------------------------------ the entry grid


def test_grid_defaults_to_last_month_with_the_contract_inputs(
    client, energy_a, main_meter, water_meter
):
    client.force_login(energy_a)
    response = client.get(ENTRY)
    assert response.status_code == 200
    page = response.content.decode()
    assert ym(PREV) in page
    assert f'<input type="hidden" name="month" value="{ym(PREV)}">' in page
    assert f'name="value_{main_meter.pk}"' in page and f'name="value_{water_meter.pk}"' in page
    assert 'aria-label="E-01 读数"' in page and 'inputmode="decimal"' in page
    assert 'type="text"' in page and ">保存</button>" in page
    assert "1000.00" in page  # the last reading, shown next to the input
    # Month navigation.
    assert f"month={ym(BEFORE)}" in page and f"month={ym(THIS_MONTH)}" in page
    page = client.get(ENTRY, {"month": ym(THIS_MONTH)}).content.decode()
    assert f"month={ym(shift(THIS_MONTH, 1))}" not in page  # no 下月 into the future


def test_grid_saves_a_month_and_flags_a_low_reading(client, energy_a, main_meter, water_meter):
    make_reading(water_meter, BEFORE, "50", "50")
    client.force_login(energy_a)
    response = client.post(
        ENTRY,
        {
            "month": ym(PREV),
            f"value_{main_meter.pk}": "900",
            f"value_{water_meter.pk}": "55.5",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{ENTRY}?month={ym(PREV)}"
    messages = texts(response)
    assert "已保存 2 条读数" in messages
    assert any("1 条读数待核实" in m and "E-01" in m for m in messages)
    low = MeterReading.objects.get(meter=main_meter, month=PREV)
    assert low.flagged and low.value == Decimal("900") and low.entered_by == energy_a
    assert MeterReading.objects.get(meter=water_meter, month=PREV).consumption == Decimal("55.5")
    # The grid shows what was entered, with the flag.
    page = client.get(response.url).content.decode()
    assert 'value="900.00"' in page and "待核实" in page and "小于上月读数" in page


def test_resaving_the_grid_changes_nothing(client, energy_a, main_meter):
    make_reading(main_meter, PREV, "1100", "100")
    client.force_login(energy_a)
    response = client.post(ENTRY, {"month": ym(PREV), f"value_{main_meter.pk}": "1100.00"})
    assert response.status_code == 302
    assert "没有新填写或修改的读数。" in texts(response)


def test_a_bad_value_saves_nothing(client, energy_a, main_meter, water_meter):
    client.force_login(energy_a)
    response = client.post(
        ENTRY,
        {
            "month": ym(PREV),
            f"value_{main_meter.pk}": "1200",
            f"value_{water_meter.pk}": "十二",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "读数/用量必须是数字。" in page
    assert "本次未保存任何读数" in page
    assert 'value="十二"' in page and 'value="1200"' in page  # kept for correction
    assert not MeterReading.objects.filter(month=PREV).exists()


def test_grid_by_institution(client, energy_a, main_meter, school):
    other = make_meter(school, "S-E-01")
    client.force_login(energy_a)
    page = client.get(ENTRY, {"institution": school.pk}).content.decode()
    assert f'name="value_{other.pk}"' in page and f'name="value_{main_meter.pk}"' not in page
    response = client.post(
        ENTRY, {"month": ym(PREV), "institution": school.pk, f"value_{other.pk}": "10"}
    )
    assert response.url == f"{ENTRY}?month={ym(PREV)}&institution={school.pk}"
    # A meter outside the chosen institution is not in the form: ignored.
    client.post(ENTRY, {"month": ym(PREV), "institution": school.pk, f"value_{main_meter.pk}": "5"})
    assert not MeterReading.objects.filter(meter=main_meter, month=PREV).exists()


def test_grid_leaves_out_stopped_meters_and_other_centers(
    client, energy_a, main_meter, water_meter, meter_b
):
    Meter.objects.filter(pk=water_meter.pk).update(is_active=False)
    client.force_login(energy_a)
    page = client.get(ENTRY).content.decode()
    assert f"value_{water_meter.pk}" not in page and f"value_{meter_b.pk}" not in page
    client.post(ENTRY, {"month": ym(PREV), f"value_{meter_b.pk}": "5"})
    assert not MeterReading.objects.filter(meter=meter_b).exists()


def test_other_centers_institution_in_the_grid_redirects(client, energy_a, office_b):
    client.force_login(energy_a)
    response = client.get(ENTRY, {"institution": office_b.pk, "month": ym(PREV)})
    assert response.status_code == 302 and response.url == f"{ENTRY}?month={ym(PREV)}"


def test_a_post_without_a_valid_month_saves_nothing(client, energy_a, main_meter):
    client.force_login(energy_a)
    response = client.post(ENTRY, {"month": "2026-13", f"value_{main_meter.pk}": "1200"})
    assert response.status_code == 302 and response.url == ENTRY
    assert "月份格式应为 YYYY-MM，如 2026-03。" in texts(response)
    assert main_meter.readings.count() == 1


def test_future_month_cannot_be_entered(client, energy_a, main_meter):
    client.force_login(energy_a)
    future = ym(shift(THIS_MONTH, 2))
    page = client.get(ENTRY, {"month": future}).content.decode()
    assert "不能录入读数" in page and ">保存</button>" not in page
    response = client.post(ENTRY, {"month": future, f"value_{main_meter.pk}": "1200"})
    assert response.status_code == 422 and "不能录入以后月份的读数。" in response.content.decode()
    assert main_meter.readings.count() == 1


def test_entry_grid_queries_are_constant(client, energy_a, office, school):
    client.force_login(energy_a)

    def add(n, start):
        for i in range(start, start + n):
            meter = make_meter(office if i % 2 else school, f"M{i:03}")
            make_reading(meter, BEFORE, i)
            make_reading(meter, PREV, i + 1)

    add(2, 0)
    few = queries(client, ENTRY)
    add(18, 2)
    assert queries(client, ENTRY) == few


def test_staff_and_leader_may_not_enter(client, staff_x, leader_a, main_meter):
    for user in (staff_x, leader_a):
        client.force_login(user)
        assert client.get(ENTRY).status_code == 403
        response = client.post(ENTRY, {"month": ym(PREV), f"value_{main_meter.pk}": "1"})
        assert response.status_code == 403
        assert client.get(url("reading_import")).status_code == 403
    assert main_meter.readings.count() == 1


# ------------------------------------------------------------------ import


def test_import_with_a_bad_row_writes_nothing_and_lists_it(client, energy_a, main_meter):
    client.force_login(energy_a)
    upload = xlsx(
        [
            ("E-01", ym(PREV), "1100"),
            ("E-99", ym(PREV), "5"),
            ("E-01", "2026年", "1"),
        ]
    )
    response = client.post(url("reading_import"), {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "有 2 行存在问题，未导入任何数据" in page
    assert "第 3 行" in page and "没有编号为“E-99”的计量表。" in page
    assert "第 4 行" in page and "月份格式应为 YYYY-MM" in page
    assert main_meter.readings.count() == 1


def test_import_saves_and_points_at_flagged_rows(client, energy_a, main_meter, water_meter):
    client.force_login(energy_a)
    upload = xlsx([("E-01", ym(PREV), "950"), ("W-01", ym(PREV), "30")])
    response = client.post(url("reading_import"), {"file": upload})
    assert response.status_code == 302
    assert response.url == f"{url('reading_list')}?flagged=1"
    messages = texts(response)
    assert "导入成功：2 条读数。" in messages
    assert "其中 1 条读数待核实，请逐条核实。" in messages
    assert MeterReading.objects.filter(month=PREV).count() == 2


def test_import_refuses_a_file_that_is_not_xlsx(client, energy_a, main_meter):
    client.force_login(energy_a)
    upload = SimpleUploadedFile("readings.csv", b"E-01,2026-01,1", content_type="text/csv")
    response = client.post(url("reading_import"), {"file": upload})
    assert response.status_code == 422
    assert "只支持 .xlsx 格式" in response.content.decode()
    response = client.post(
        url("reading_import"), {"file": xlsx([("E-01", "1")], ("表计编号", "x"))}
    )
    assert response.status_code == 422 and "缺少必需的列" in response.content.decode()
    assert main_meter.readings.count() == 1


def test_import_template_lists_the_meters(client, energy_a, main_meter, water_meter, meter_b):
    client.force_login(energy_a)
    response = client.get(url("reading_template"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["表计编号", "月份", "读数/用量"]
    assert [sheet["A2"].value, sheet["B2"].value] == ["E-01", ym(PREV)]
    notes = book["说明"]
    codes = [row[0] for row in notes.iter_rows(values_only=True)]
    assert "W-01" in codes and "B-E-01" not in codes
    # The filled template imports.
    sheet["C2"], sheet["C3"] = "1100", "20"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("t.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    assert client.post(url("reading_import"), {"file": upload}).status_code == 302
    assert MeterReading.objects.filter(month=PREV).count() == 2


# ------------------------------------------------------------------ list and confirmation


@pytest.fixture
def flagged(main_meter):
    return make_reading(
        main_meter, PREV, "900", "0", flagged=True, flag_reason="读数 900 小于上月读数 1000"
    )


def test_list_filters(client, energy_a, main_meter, water_meter, flagged, school):
    make_reading(water_meter, PREV, "30", "30")
    make_reading(make_meter(school, "S-1"), BEFORE, "7", "7")
    client.force_login(energy_a)
    page = client.get(url("reading_list")).content.decode()
    assert "共 4 条" in page and "待核实 1 条" in page
    page = client.get(url("reading_list"), {"flagged": "1"}).content.decode()
    assert "共 1 条" in page and url("reading_confirm", flagged.pk) in page
    page = client.get(url("reading_list"), {"kind": "water"}).content.decode()
    assert "共 1 条" in page and "30.00 m³" in page
    page = client.get(url("reading_list"), {"month_from": ym(PREV)}).content.decode()
    assert "共 2 条" in page
    page = client.get(url("reading_list"), {"month_to": ym(BEFORE)}).content.decode()
    assert "共 2 条" in page
    page = client.get(url("reading_list"), {"institution": school.pk}).content.decode()
    assert "共 1 条" in page and "S-1" in page


def test_list_export(client, energy_a, flagged):
    client.force_login(energy_a)
    response = client.get(url("reading_list"), {"export": "xlsx", "flagged": "1"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:3] == (ym(PREV), "区行政中心", "E-01") and rows[1][8] == "待核实"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.detail["filters"] == {"flagged": "1"}


def test_reading_list_queries_are_constant(client, energy_a, office, main_meter):
    client.force_login(energy_a)

    def add(n, start):
        for i in range(start, start + n):
            meter = make_meter(office, f"M{i:03}")
            make_reading(meter, BEFORE, i, entered_by=energy_a)
            make_reading(meter, PREV, i, flagged=True, flag_reason="x", entered_by=energy_a)

    add(1, 0)
    few = queries(client, url("reading_list"))
    add(9, 1)
    assert queries(client, url("reading_list")) == few


def test_confirm_clears_the_flag(client, energy_a, flagged):
    client.force_login(energy_a)
    page = client.get(url("reading_confirm", flagged.pk)).content.decode()
    assert "小于上月读数" in page
    nxt = f"{url('reading_list')}?flagged=1"
    response = client.post(url("reading_confirm", flagged.pk), {"consumption": "85", "next": nxt})
    assert response.status_code == 302 and response.url == nxt
    flagged.refresh_from_db()
    assert not flagged.flagged and flagged.flag_reason == ""
    assert flagged.consumption == Decimal("85") and flagged.confirmed_by == energy_a
    page = client.get(url("reading_list")).content.decode()
    assert "已核实" in page and "节能股长" in page


def test_confirm_without_a_figure_and_bad_figure(client, energy_a, flagged):
    client.force_login(energy_a)
    response = client.post(url("reading_confirm", flagged.pk), {"consumption": "-4"})
    assert response.status_code == 422 and "读数/用量不能为负数。" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.flagged
    response = client.post(url("reading_confirm", flagged.pk), {"next": "https://evil.example/"})
    assert response.url == url("meter_detail", flagged.meter_id)  # no open redirect
    flagged.refresh_from_db()
    assert not flagged.flagged and flagged.consumption == 0


def test_confirm_scoping_and_permissions(client, energy_b, staff_x, leader_a, flagged):
    client.force_login(energy_b)
    assert client.get(url("reading_confirm", flagged.pk)).status_code == 404
    assert client.post(url("reading_confirm", flagged.pk), {"consumption": "1"}).status_code == 404
    assert "E-01" not in client.get(url("reading_list")).content.decode()
    client.force_login(staff_x)
    assert client.get(url("reading_list")).status_code == 403
    assert client.post(url("reading_confirm", flagged.pk)).status_code == 403
    client.force_login(leader_a)
    page = client.get(url("reading_list")).content.decode()
    assert "E-01" in page and url("reading_confirm", flagged.pk) not in page
    assert client.post(url("reading_confirm", flagged.pk)).status_code == 403
    flagged.refresh_from_db()
    assert flagged.flagged


def test_inactive_institution_leaves_the_grid(client, energy_a, main_meter, office):
    Institution.objects.filter(pk=office.pk).update(is_active=False)
    client.force_login(energy_a)
    assert f"value_{main_meter.pk}" not in client.get(ENTRY).content.decode()
