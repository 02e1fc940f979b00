# ruff: noqa: F811  (fixtures imported from fixtures_conservation are used as parameters)
"""节约型机关 pages: a scoring sheet built through the pages (running total, 100-point cap,
frozen once used), campaigns, batches, several agencies enrolled at once, self-assessment by
the agency's liaison, review and decision at the 80-point boundary, evidence files, meetings;
scoping (another agency's liaison and another center's manager → 404), permissions (staff →
403) and a constant number of queries on the campaign page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.energy.models import (
    CampaignBatch,
    CampaignMeeting,
    ConservationCampaign,
    ConservationUnit,
    ScoringArea,
    ScoringItem,
    ScoringSheet,
    UnitEvidence,
    UnitScore,
)
from houqin.energy.services.conservation import (
    batch_save,
    campaign_create,
    evidence_add,
    unit_review,
    unit_self_assess,
    units_enroll,
)

from .conftest import item_points
from .fixtures_conservation import (  # noqa: F401  (fixtures)
    _media,
    enrol_many,
    fake_pdf,
    liaison_b,
    liaison_y,
    pdf,
    unit_y,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"energy:{name}", args=args)


def items_of(sheet):
    return list(ScoringItem.objects.filter(area__sheet=sheet).order_by("area__order", "id"))


def score_post(sheet, *values, **extra):
    data = {f"item_{item.pk}": str(v) for item, v in zip(items_of(sheet), values, strict=True)}
    data.update(extra)
    return data


def page(response):
    return response.content.decode()


# ------------------------------------------------------------------ scoring sheets


def test_manager_builds_a_sheet_through_the_pages(client, energy_a):
    client.force_login(energy_a)
    assert client.get(url("sheet_create")).status_code == 200
    response = client.post(
        url("sheet_create"), {"name": "区级节约型机关评价标准", "pass_mark": "80"}
    )
    sheet = ScoringSheet.objects.get()
    assert response.status_code == 302 and response.url == url("sheet_detail", sheet.pk)

    for name in ("完善制度体系", "推行绿色办公"):
        response = client.post(url("sheet_area_add", sheet.pk), {"name": name})
        assert response.status_code == 302
    system, green = ScoringArea.objects.filter(sheet=sheet).order_by("id")
    response = client.post(url("sheet_area_add", sheet.pk), {"name": "完善制度体系"})
    assert response.status_code == 422 and "该评分表已有此考核方面。" in page(response)

    for area, text, points in [
        (system, "明确节能管理岗位", "30"),
        (system, "实行能耗分户计量", "30"),
        (green, "推行无纸化办公", "30"),
    ]:
        response = client.post(url("sheet_item_add", area.pk), {"text": text, "points": points})
        assert response.status_code == 302
    detail = page(client.get(url("sheet_detail", sheet.pk)))
    assert "推行无纸化办公" in detail and "实行能耗分户计量" in detail
    assert "评分表尚不完整：各项目分值合计 90.0 分，须达到 100 分。" in detail
    assert url("sheet_item_add", green.pk) in detail

    # The total cannot pass 100; bad points say why; nothing is written.
    response = client.post(url("sheet_item_add", green.pk), {"text": "空调温度", "points": "10.5"})
    assert response.status_code == 422 and "评分表总分不能超过 100 分。" in page(response)
    response = client.post(url("sheet_item_add", green.pk), {"text": "空调温度", "points": "十"})
    assert response.status_code == 422 and "分值必须是数字。" in page(response)
    response = client.post(url("sheet_item_add", green.pk), {"text": "", "points": "5"})
    assert response.status_code == 422 and "请填写考核内容。" in page(response)
    assert ScoringItem.objects.count() == 3

    client.post(url("sheet_item_add", green.pk), {"text": "空调温度", "points": "10"})
    detail = page(client.get(url("sheet_detail", sheet.pk)))
    assert "评分表完整（合计 100 分）" in detail and "尚不完整" not in detail

    # Delete an item, then a whole area (with its items).
    item = ScoringItem.objects.get(text="空调温度")
    assert client.post(url("sheet_item_delete", item.pk)).status_code == 302
    assert client.post(url("sheet_area_delete", green.pk)).status_code == 302
    assert list(ScoringItem.objects.values_list("text", flat=True).order_by("id")) == [
        "明确节能管理岗位",
        "实行能耗分户计量",
    ]

    # Name and pass mark.
    response = client.post(
        url("sheet_edit", sheet.pk), {"name": "节约型机关评价标准（2026版）", "pass_mark": "85"}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.name == "节约型机关评价标准（2026版）" and sheet.pass_mark == Decimal("85")
    response = client.post(url("sheet_edit", sheet.pk), {"name": "", "pass_mark": "0"})
    assert response.status_code == 422
    assert "请填写评分表名称。" in page(response)

    listing = page(client.get(url("sheet_list")))
    assert "节约型机关评价标准（2026版）" in listing and "60.0 分（未满 100）" in listing


def test_sheet_is_frozen_once_used(client, energy_a, sheet, unit_x, liaison_x):
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    client.force_login(energy_a)
    detail = page(client.get(url("sheet_detail", sheet.pk)))
    assert "已有 1 个单位按此评分表打分，考核方面和项目已锁定" in detail
    area = sheet.areas.first()
    assert url("sheet_item_add", area.pk) not in detail
    assert url("sheet_area_add", sheet.pk) not in detail
    response = client.post(url("sheet_item_add", area.pk), {"text": "新项目", "points": "1"})
    assert response.status_code == 422 and "评分表已用于评分，不能再修改考核项目。" in page(
        response
    )
    item = area.items.first()
    response = client.post(url("sheet_item_delete", item.pk))
    assert response.status_code == 422 and "评分表已用于评分" in page(response)
    assert ScoringItem.objects.filter(area__sheet=sheet).count() == 4


# ------------------------------------------------------------------ campaigns and batches


def test_campaign_and_batches_through_the_pages(client, energy_a, sheet):
    client.force_login(energy_a)
    form = page(client.get(url("campaign_create")))
    assert "节约型机关评价标准（满分 100 分）" in form
    response = client.post(
        url("campaign_create"),
        {
            "name": "第二批节约型机关创建",
            "sheet": sheet.pk,
            "start_year": "2026",
            "end_year": "2025",
        },
    )
    assert response.status_code == 422 and "截止年度不能早于起始年度。" in page(response)
    response = client.post(
        url("campaign_create"),
        {
            "name": "第二批节约型机关创建",
            "sheet": sheet.pk,
            "start_year": "2025",
            "end_year": "2026",
        },
    )
    campaign = ConservationCampaign.objects.get()
    assert response.url == url("campaign_detail", campaign.pk)
    assert "暂无批次。" in page(client.get(response.url))

    response = client.post(
        url("batch_create", campaign.pk), {"number": "1", "year": "2027", "target_units": "5"}
    )
    assert response.status_code == 422 and "年度应在 2025—2026 之间。" in page(response)
    response = client.post(
        url("batch_create", campaign.pk),
        {"number": "1", "year": "2026", "target_units": "5", "deadline": "2026-11-30"},
    )
    assert response.status_code == 302
    batch = CampaignBatch.objects.get()
    response = client.post(
        url("batch_edit", batch.pk), {"number": "1", "year": "2026", "target_units": "6"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.target_units == 6 and batch.deadline is None

    response = client.post(
        url("campaign_edit", campaign.pk),
        {"name": "节约型机关创建", "sheet": sheet.pk, "start_year": "2027", "end_year": "2028"},
    )
    assert response.status_code == 422
    assert "起止年度须包含已有批次的年度（2026—2026）。" in page(response)

    detail = page(client.get(url("campaign_detail", campaign.pk)))
    assert "第1批" in detail and "0 / 6（0.0%）" in detail
    listing = page(client.get(url("campaign_list")))
    assert "第二批节约型机关创建" in listing and "2025—2026" in listing
    assert "第1批 2026年 · 目标 6 个" in listing


def test_enrol_two_agencies_at_once(client, energy_a, batch, agency_x, agency_y, agency_b):
    client.force_login(energy_a)
    form = page(client.get(url("unit_enroll", batch.pk)))
    assert agency_x.name in form and agency_y.name in form and agency_b.name not in form
    response = client.post(url("unit_enroll", batch.pk), {"agencies": [agency_x.pk, agency_y.pk]})
    assert response.status_code == 302
    assert response.url == url("campaign_detail", batch.campaign_id)
    assert set(ConservationUnit.objects.values_list("agency__name", flat=True)) == {
        agency_x.name,
        agency_y.name,
    }
    # Enrolled agencies are no longer offered; another center's cannot be chosen.
    response = client.get(url("unit_enroll", batch.pk))
    assert "本中心服务的单位都已报名本次创建活动。" in page(response)
    response = client.post(url("unit_enroll", batch.pk), {"agencies": [agency_x.pk]})
    assert response.status_code == 422
    response = client.post(url("unit_enroll", batch.pk), {"agencies": []})
    assert response.status_code == 422 and "请选择要报名的单位。" in page(response)
    assert ConservationUnit.objects.count() == 2

    detail = page(client.get(url("campaign_detail", batch.campaign_id)))
    assert detail.count("已报名</span>") == 2


def test_enrolment_is_all_or_nothing(energy_a, batch, agency_x, agency_y):
    units_enroll(actor=energy_a, batch=batch, agencies=[agency_y])
    with pytest.raises(ValidationError) as exc:
        units_enroll(actor=energy_a, batch=batch, agencies=[agency_x, agency_y])
    assert "已报名本次创建活动" in exc.value.message_dict["agencies"][0]
    assert list(ConservationUnit.objects.values_list("agency", flat=True)) == [agency_y.pk]


def test_withdraw_only_while_enrolled(client, energy_a, sheet, unit_x, unit_y, liaison_y):
    client.force_login(energy_a)
    unit_self_assess(actor=liaison_y, unit=unit_y, points=item_points(sheet, 1, 1, 1, 1))
    response = client.post(url("unit_withdraw", unit_y.pk))
    assert response.status_code == 422 and "已自评或评审的单位不能退出。" in page(response)
    response = client.post(url("unit_withdraw", unit_x.pk))
    assert response.status_code == 302
    assert list(ConservationUnit.objects.all()) == [unit_y]


# ------------------------------------------------------------------ self-assessment and review


def test_liaison_self_assesses_their_own_unit(client, liaison_x, liaison_y, sheet, unit_x):
    client.force_login(liaison_x)
    mine = page(client.get(url("my_units")))
    assert url("unit_detail", unit_x.pk) in mine and "去自评" in mine
    detail = page(client.get(url("unit_detail", unit_x.pk)))
    for item in items_of(sheet):
        assert f'name="item_{item.pk}"' in detail
    assert url("unit_review", unit_x.pk) not in detail

    response = client.post(url("unit_self_assess", unit_x.pk), score_post(sheet, 36, 27.5, 18, 9))
    assert response.status_code == 302 and response.url == url("unit_detail", unit_x.pk)
    unit_x.refresh_from_db()
    assert unit_x.status == ConservationUnit.Status.SELF_ASSESSED
    assert unit_x.self_score == Decimal("90.5")
    assert "修改自评" in page(client.get(url("unit_detail", unit_x.pk)))

    # Another agency's liaison sees nothing of it.
    client.force_login(liaison_y)
    assert client.get(url("unit_detail", unit_x.pk)).status_code == 404
    assert (
        client.post(url("unit_self_assess", unit_x.pk), score_post(sheet, 1, 1, 1, 1)).status_code
        == 404
    )
    assert "本单位暂未报名节约型机关创建活动。" in page(client.get(url("my_units")))
    # Nor may a liaison review.
    client.force_login(liaison_x)
    response = client.post(url("unit_review", unit_x.pk), score_post(sheet, 1, 1, 1, 1))
    assert response.status_code == 403
    unit_x.refresh_from_db()
    assert unit_x.self_score == Decimal("90.5") and unit_x.review_score is None


def test_over_points_are_refused_and_nothing_written(client, liaison_x, sheet, unit_x):
    client.force_login(liaison_x)
    first = items_of(sheet)[0]
    response = client.post(url("unit_self_assess", unit_x.pk), score_post(sheet, 41, 25, 15, 8))
    assert response.status_code == 422
    assert f"“{first.text}”最多 40.0 分。" in page(response)
    assert 'value="41"' in page(response)  # the input is kept
    response = client.post(url("unit_self_assess", unit_x.pk), score_post(sheet, "", -1, "x", 8))
    assert response.status_code == 422
    body = page(response)
    assert f"请为“{first.text}”打分。" in body and "必须是数字" in body
    assert not UnitScore.objects.exists()
    unit_x.refresh_from_db()
    assert unit_x.status == ConservationUnit.Status.ENROLLED and unit_x.self_score is None


def test_center_admin_sees_but_cannot_self_assess(client, admin_a, sheet, unit_x):
    client.force_login(admin_a)
    detail = page(client.get(url("unit_detail", unit_x.pk)))
    assert f'name="item_{items_of(sheet)[0].pk}"' not in detail
    response = client.post(url("unit_self_assess", unit_x.pk), score_post(sheet, 1, 1, 1, 1))
    assert response.status_code == 403
    assert not UnitScore.objects.exists()


@pytest.mark.parametrize(
    ("values", "status", "label"),
    [
        ((40, 30, 5, 5), ConservationUnit.Status.PASSED, "达标"),
        ((40, 30, 5, 4.9), ConservationUnit.Status.FAILED, "未达标"),
    ],
)
def test_manager_reviews_and_decides_at_80(
    client, energy_a, liaison_x, sheet, unit_x, values, status, label
):
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 40, 30, 20, 10))
    client.force_login(energy_a)
    detail = page(client.get(url("unit_detail", unit_x.pk)))
    assert "保存评审" in detail and "评审认定" in detail
    first = items_of(sheet)[0]
    assert f'id="review-form-item_{first.pk}"' in detail

    # 保存评审 keeps the scores without deciding.
    data = score_post(sheet, *values, comment="资料基本齐全", save="1")
    data[f"note_{items_of(sheet)[3].pk}"] = "宣传栏未更新"
    response = client.post(url("unit_review", unit_x.pk), data, follow=True)
    assert "已保存评审，评审得分" in page(response)
    unit_x.refresh_from_db()
    assert unit_x.status == ConservationUnit.Status.REVIEWED and unit_x.decided_on is None
    assert UnitScore.objects.get(item=items_of(sheet)[3]).note == "宣传栏未更新"

    # 评审认定 decides at the sheet's pass mark (80).
    data = score_post(sheet, *values, comment="资料基本齐全", decide="1")
    response = client.post(url("unit_review", unit_x.pk), data, follow=True)
    unit_x.refresh_from_db()
    assert unit_x.status == status
    assert unit_x.review_score == sum(Decimal(str(v)) for v in values)
    assert unit_x.reviewed_by == energy_a and unit_x.decided_on is not None
    body = page(response)
    assert f">{label}</span>" in body
    assert f"评审得分 {unit_x.review_score} 分 / 达标分数 80.0 分" in body
    assert 'name="decide"' not in body  # decided: no more review


def test_review_needs_self_assessment_first(client, energy_a, sheet, unit_x):
    client.force_login(energy_a)
    assert "保存评审" not in page(client.get(url("unit_detail", unit_x.pk)))
    response = client.post(url("unit_review", unit_x.pk), score_post(sheet, 40, 30, 20, 10))
    assert response.status_code == 422 and "单位尚未自评，不能评审。" in page(response)
    unit_x.refresh_from_db()
    assert unit_x.status == ConservationUnit.Status.ENROLLED and unit_x.review_score is None


# ------------------------------------------------------------------ evidence


def test_evidence_upload_download_and_delete(
    client, liaison_x, liaison_y, energy_b, energy_a, sheet, unit_x
):
    client.force_login(liaison_x)
    item = items_of(sheet)[0]
    response = client.post(
        url("evidence_upload", unit_x.pk),
        {"title": "节能管理制度", "item": item.pk, "file": pdf()},
    )
    assert response.status_code == 302
    evidence = UnitEvidence.objects.get()
    assert evidence.uploaded_by == liaison_x and evidence.item == item
    assert "节能制度" not in evidence.file.name  # the user's file name is not the path

    response = client.post(url("evidence_upload", unit_x.pk), {"title": "台账", "file": fake_pdf()})
    assert response.status_code == 422
    assert "“病毒.pdf”的内容与文件类型不符，请上传有效的 PDF 文件。" in page(response)
    response = client.post(url("evidence_upload", unit_x.pk), {"title": "台账"})
    assert response.status_code == 422 and "请选择要上传的文件。" in page(response)
    assert UnitEvidence.objects.count() == 1

    detail = page(client.get(url("unit_detail", unit_x.pk)))
    assert "节能管理制度" in detail and url("evidence_download", evidence.pk) in detail
    response = client.get(url("evidence_download", evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]

    for other in (liaison_y, energy_b):
        client.force_login(other)
        assert client.get(url("evidence_download", evidence.pk)).status_code == 404
        assert client.post(url("evidence_delete", evidence.pk)).status_code == 404
        assert client.post(url("evidence_upload", unit_x.pk), {"title": "x"}).status_code in (
            403,
            404,
        )

    client.force_login(energy_a)
    assert client.get(url("evidence_download", evidence.pk)).status_code == 200
    client.force_login(liaison_x)
    assert client.post(url("evidence_delete", evidence.pk)).status_code == 302
    assert not UnitEvidence.objects.exists()


def test_no_evidence_changes_after_decision(client, energy_a, liaison_x, sheet, unit_x):
    evidence = evidence_add(actor=liaison_x, unit=unit_x, title="制度", upload=pdf())
    points = item_points(sheet, 40, 30, 20, 10)
    unit_self_assess(actor=liaison_x, unit=unit_x, points=points)
    unit_review(actor=energy_a, unit=unit_x, points=points, decide=True)
    client.force_login(liaison_x)
    detail = page(client.get(url("unit_detail", unit_x.pk)))
    assert url("evidence_upload", unit_x.pk) not in detail
    assert url("evidence_delete", evidence.pk) not in detail
    response = client.post(url("evidence_delete", evidence.pk))
    assert response.status_code == 422 and "该单位已认定，不能再删除佐证材料。" in page(response)
    assert UnitEvidence.objects.count() == 1


# ------------------------------------------------------------------ meetings


def test_meetings_and_trainings(client, energy_a, campaign):
    client.force_login(energy_a)
    for kind, title, n in [
        ("meeting", "创建工作推进会", "40"),
        ("training", "节约型机关创建业务培训", "85"),
        ("training", "垃圾分类培训", "30"),
    ]:
        response = client.post(
            url("meeting_create", campaign.pk),
            {
                "kind": kind,
                "date": "2026-04-10",
                "title": title,
                "place": "三楼会议室",
                "participants": n,
            },
        )
        assert response.status_code == 302
    response = client.post(url("meeting_create", campaign.pk), {"kind": "", "title": ""})
    assert response.status_code == 422
    body = page(response)
    assert "请选择类型。" in body and "请填写主题。" in body
    assert CampaignMeeting.objects.count() == 3

    detail = page(client.get(url("campaign_detail", campaign.pk)))
    assert "推进会 1 次" in detail and "培训 2 次" in detail and "共 155 人次参加" in detail
    assert "2026-04-10" in detail

    meeting = CampaignMeeting.objects.get(title="垃圾分类培训")
    response = client.post(
        url("meeting_edit", meeting.pk),
        {
            "kind": "training",
            "date": "2026-04-12",
            "title": "垃圾分类专题培训",
            "participants": "32",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "垃圾分类专题培训" and meeting.participants == 32


# ------------------------------------------------------------------ lists, filters, exports


def test_campaign_detail_filters_and_exports_units(
    client, energy_a, sheet, unit_x, unit_y, liaison_x
):
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    client.force_login(energy_a)
    response = client.get(
        url("campaign_detail", unit_x.campaign_id),
        {"status": "self_assessed"},
        headers={"HX-Request": "true"},
    )
    body = page(response)
    assert response.status_code == 200 and "<html" not in body
    assert unit_x.agency.name in body and unit_y.agency.name not in body

    response = client.get(url("campaign_detail", unit_x.campaign_id), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    response = client.get(url("campaign_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    listing = page(client.get(url("campaign_list"), {"year": "2026"}))
    assert "节约型机关创建行动" in listing
    listing = page(client.get(url("campaign_list"), {"year": "2030"}))
    assert "节约型机关创建行动" not in listing


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_campaign_detail_queries_do_not_grow(client, energy_a, batch, center_a):
    client.force_login(energy_a)
    enrol_many(batch, center_a, 2)
    path = url("campaign_detail", batch.campaign_id)
    few = _queries(client, path)
    enrol_many(batch, center_a, 10, start=2)
    assert ConservationUnit.objects.count() == 12
    assert _queries(client, path) == few
    assert _queries(client, url("campaign_list")) == _queries(client, url("campaign_list"))


def test_campaign_list_queries_do_not_grow(client, energy_a, sheet, center_a):
    def add(i):
        campaign = campaign_create(
            actor=None,
            center=center_a,
            name=f"创建{i}",
            sheet=sheet,
            start_year=2026,
            end_year=2026,
        )
        batch = batch_save(actor=None, campaign=campaign, number_value=1, year=2026, target_units=2)
        enrol_many(batch, center_a, 1, start=i)

    client.force_login(energy_a)
    add(0)
    add(1)
    few = _queries(client, url("campaign_list"))
    for i in range(2, 12):
        add(i)
    assert _queries(client, url("campaign_list")) == few


def test_unit_detail_queries_do_not_grow(client, energy_a, liaison_x, sheet, unit_x):
    unit_self_assess(actor=liaison_x, unit=unit_x, points=item_points(sheet, 35, 25, 15, 8))
    evidence_add(actor=liaison_x, unit=unit_x, title="制度0", upload=pdf())
    client.force_login(energy_a)
    few = _queries(client, url("unit_detail", unit_x.pk))
    for i in range(1, 8):
        evidence_add(
            actor=energy_a if i % 2 else liaison_x, unit=unit_x, title=f"制度{i}", upload=pdf()
        )
    assert _queries(client, url("unit_detail", unit_x.pk)) == few


def test_sheet_list_queries_do_not_grow(client, energy_a, center_a):
    def add(i):
        sheet = ScoringSheet.objects.create(center=center_a, name=f"评分表{i}")
        for j in range(3):
            area = ScoringArea.objects.create(sheet=sheet, name=f"方面{j}")
            ScoringItem.objects.create(area=area, text="项目", points=Decimal(10))

    client.force_login(energy_a)
    for i in range(2):
        add(i)
    few = _queries(client, url("sheet_list"))
    for i in range(2, 12):
        add(i)
    assert _queries(client, url("sheet_list")) == few


# ------------------------------------------------------------------ scoping and permissions


def test_other_center_manager_gets_404(client, energy_b, sheet, campaign, batch, unit_x):
    meeting = CampaignMeeting.objects.create(
        campaign=campaign, kind="meeting", date="2026-03-01", title="推进会"
    )
    area = sheet.areas.first()
    client.force_login(energy_b)
    for name, args in [
        ("sheet_detail", [sheet.pk]),
        ("sheet_edit", [sheet.pk]),
        ("campaign_detail", [campaign.pk]),
        ("campaign_edit", [campaign.pk]),
        ("batch_create", [campaign.pk]),
        ("batch_edit", [batch.pk]),
        ("unit_enroll", [batch.pk]),
        ("meeting_create", [campaign.pk]),
        ("meeting_edit", [meeting.pk]),
        ("unit_detail", [unit_x.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404, name
    for name, args in [
        ("sheet_area_add", [sheet.pk]),
        ("sheet_item_add", [area.pk]),
        ("sheet_item_delete", [area.items.first().pk]),
        ("sheet_area_delete", [area.pk]),
        ("unit_withdraw", [unit_x.pk]),
        ("unit_self_assess", [unit_x.pk]),
        ("unit_review", [unit_x.pk]),
        ("evidence_upload", [unit_x.pk]),
    ]:
        assert client.post(url(name, *args), {"name": "x"}).status_code == 404, name
    assert "节约型机关创建行动" not in page(client.get(url("campaign_list")))
    assert sheet.name not in page(client.get(url("sheet_list")))
    assert ScoringArea.objects.filter(sheet=sheet).count() == 4
    assert ConservationUnit.objects.count() == 1


def test_staff_and_liaison_are_forbidden_manager_pages(
    client, staff_x, liaison_x, sheet, campaign, batch, unit_x
):
    client.force_login(staff_x)
    for name, args in [
        ("sheet_list", []),
        ("sheet_create", []),
        ("sheet_detail", [sheet.pk]),
        ("campaign_list", []),
        ("campaign_create", []),
        ("campaign_detail", [campaign.pk]),
        ("unit_detail", [unit_x.pk]),
        ("my_units", []),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    client.force_login(liaison_x)
    for name, args in [
        ("campaign_list", []),
        ("campaign_detail", [campaign.pk]),
        ("sheet_detail", [sheet.pk]),
        ("batch_create", [campaign.pk]),
        ("unit_enroll", [batch.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    assert client.post(url("unit_withdraw", unit_x.pk)).status_code == 403
    assert ConservationUnit.objects.count() == 1


def test_center_leader_reads_but_does_not_change(client, admin_a, sheet, campaign, unit_x):
    client.force_login(admin_a)
    assert client.get(url("campaign_detail", campaign.pk)).status_code == 200
    detail = page(client.get(url("sheet_detail", sheet.pk)))
    assert url("sheet_area_add", sheet.pk) not in detail
    assert client.get(url("campaign_create")).status_code == 403
    assert client.post(url("sheet_area_add", sheet.pk), {"name": "x"}).status_code == 403
