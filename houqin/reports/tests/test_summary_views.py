"""The annual summary end to end: known records in two modules give the right sentences in the
preview and in the Word file (GB/T 9704 page), an empty center gets "no data" instead of
zeros, a template with an unknown placeholder is refused, permissions, and the command."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from houqin.activities.models import ActivityCategory
from houqin.activities.services.activities import activity_save
from houqin.core.roles import Role
from houqin.finance.services.budgets import expenditure_record, project_save
from houqin.org.tests.factories import PersonFactory, make_user
from houqin.reports.models import SectionTemplate

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def leader(agency_x):
    return make_user(PersonFactory(agency=agency_x, name="主任"), Role.LEADER, username="boss")


@pytest.fixture
def year_of_data(center_a):
    """Budget 100,000 元, 12,500 元 spent in two expenditures (below the approval threshold);
    three activities with 10 + 20 + 30 participants."""
    project = project_save(
        actor=None,
        center=center_a,
        year=YEAR,
        code="A1",
        name="机关运行经费",
        category="basic",
        source="general",
        amount=Decimal("100000"),
    )
    for day, amount in ((dt.date(YEAR, 3, 1), "5000"), (dt.date(YEAR, 6, 1), "7500")):
        expenditure_record(
            actor=None,
            center=center_a,
            project=project,
            date=day,
            amount=Decimal(amount),
            payee="某公司",
            purpose="运行费用",
        )
    category = ActivityCategory.objects.create(center=center_a, name="志愿服务")
    for n, people in enumerate((10, 20, 30)):
        activity_save(
            actor=None,
            center=center_a,
            category=category,
            date=dt.date(YEAR, 4, 1 + n),
            title=f"志愿服务活动{n}",
            other_participants=people,
        )


def test_preview_shows_the_known_figures_linked(client, leader, year_of_data):
    client.force_login(leader)
    page = client.get(reverse("reports:summary"), {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025年工作开展情况" in html
    assert "项目预算" in html and "100000" in html and "12500" in html
    assert "全年共开展各类活动" in html
    assert 'title="activities.activities">3</span>次' in html
    assert 'title="activities.participants">60</span>人次' in html
    # A module without records says so.
    assert "本期暂无公车管理相关数据记录。" in html


def test_word_file_has_the_layout_sections_and_sentences(client, leader, year_of_data):
    client.force_login(leader)
    response = client.get(reverse("reports:summary_docx"), {"year": YEAR})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]

    def mm(length):  # Word stores twips: compare to a tenth of a millimetre
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in (
        "一、2025年工作开展情况",
        "（一）会务保障",
        "（二）财务管理",
        "二、存在问题",
        "三、下一步工作计划",
    ):
        assert heading in text
    assert "本中心2025年度项目预算100000元" in text
    assert "已支出12500元，完成全年支出进度12.5%" in text
    assert "全年共开展各类活动3次，参加60人次" in text
    assert "本期暂无公车管理相关数据记录。" in text


def test_empty_center_prints_no_false_zeros(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:summary_docx"), {"year": YEAR})
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("相关数据记录。") == 8
    assert "0次" not in text and "0元" not in text


def test_xlsx_lists_the_figures_with_definitions(client, leader, year_of_data):
    from openpyxl import load_workbook

    client.force_login(leader)
    response = client.get(reverse("reports:summary_xlsx"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert rows["activities.activities"][3] == 3


def test_unknown_placeholder_is_refused_and_nothing_written(client, admin_a):
    client.force_login(admin_a)
    url = reverse("reports:template_edit", args=["meetings"])
    response = client.post(url, {"body": "全年服务会议{meetings.servd}场次。"})
    assert response.status_code == 422
    assert "{meetings.servd}" in response.content.decode()
    assert not SectionTemplate.objects.exists()
    response = client.post(url, {"body": "全年服务会议{meetings.served}场次，{year}年。"})
    assert response.status_code == 302
    assert SectionTemplate.objects.get(key="meetings").body.startswith("全年服务会议")


def test_the_centers_template_is_used(client, admin_a, leader, center_a):
    SectionTemplate.objects.create(
        center=center_a, key="activities", body="本年度组织活动{activities.activities}次。"
    )
    client.force_login(leader)
    response = client.get(reverse("reports:summary"), {"year": YEAR})
    assert "本年度组织活动" not in response.content.decode()  # no data: the no-data sentence
    assert "本期暂无学习教育与活动相关数据记录。" in response.content.decode()


def test_permissions(client, staff_x, leader):
    client.force_login(staff_x)
    assert client.get(reverse("reports:summary")).status_code == 403
    assert client.get(reverse("reports:summary_docx")).status_code == 403
    client.force_login(leader)
    assert client.get(reverse("reports:summary")).status_code == 200
    url = reverse("reports:template_edit", args=["meetings"])
    assert client.post(url, {"body": "x"}).status_code == 403


def test_partial_period_like_the_seed(client, leader, year_of_data):
    """ "1月1日至9月30日": the title and the part heading say the period."""
    client.force_login(leader)
    response = client.get(
        reverse("reports:summary_docx"), {"start": f"{YEAR}-01-01", "end": f"{YEAR}-09-30"}
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "一、2025年1月1日至9月30日工作开展情况" in text


def test_command_writes_word_and_xlsx(tmp_path, year_of_data, center_a):
    output, figures = tmp_path / "summary.docx", tmp_path / "figures.xlsx"
    call_command("annual_summary", year=YEAR, output=str(output), xlsx=str(figures))
    text = "\n".join(p.text for p in Document(str(output)).paragraphs)
    assert "全年共开展各类活动3次" in text
    assert figures.stat().st_size > 0
