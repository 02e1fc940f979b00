# ruff: noqa: F811  (fixtures imported from fixtures_activities are used as parameters)
"""Activities and surveys pages: activity create/edit (422 and nothing written on bad input),
list with counts per category and per month, filters and xlsx export, photos served through
the access-checked view, categories (add/rename/deactivate); surveys: create, questions, open,
live completion rate, remind, exempt, export with phones masked; the phone pages (my surveys,
answering one's own sheet); permissions (staff 403 on management pages, leader reads only,
another center 404, someone else's sheet 404); to-do items and the portal tile; constant
queries on the activity list and the survey detail."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from houqin.activities.models import Activity, ActivityCategory, Survey, SurveyResponse
from houqin.activities.services.activities import photo_add
from houqin.activities.services.surveys import response_submit, survey_open
from houqin.core.menu import tiles_for, todos_for
from houqin.core.notifications.models import Notification
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory, make_user

from .fixtures_activities import (  # noqa: F401  (fixtures)
    TODAY,
    categories_a,
    categories_b,
    clock,
    count_queries,
    leader_a,
    make_activity,
    make_survey,
    make_vendor,
    media,
    not_an_image,
    png,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "media")]


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


# --- activities -------------------------------------------------------------------------


def test_create_activity_through_the_page(client, admin_a, staff_x, categories_a):
    login(client, admin_a)
    assert client.get(url("activity_create")).status_code == 200
    response = client.post(
        url("activity_create"),
        {
            "category": categories_a["志愿服务"].pk,
            "date": "2026-11-20",
            "title": "“文明交通”志愿服务",
            "place": "人民路口",
            "organizer": "中心党支部",
            "participants": [admin_a.person.pk, staff_x.person.pk],
            "other_participants": "8",
            "summary": "劝导文明出行。",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("activity_detail", activity.pk)
    assert activity.participant_total == 10 and activity.recorded_by == admin_a
    page = client.get(url("activity_detail", activity.pk)).content.decode()
    assert "职工甲" in page and "10 人" in page


def test_future_date_is_422_and_nothing_written(client, admin_a, categories_a):
    login(client, admin_a)
    response = client.post(
        url("activity_create"),
        {
            "category": categories_a["学习"].pk,
            "date": (TODAY + dt.timedelta(days=1)).isoformat(),
            "title": "集中学习",
            "other_participants": "5",
        },
    )
    assert response.status_code == 422
    assert "活动日期不能晚于今天" in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_activity(client, admin_a, center_a, categories_a):
    activity = make_activity(center_a, categories_a["学习"])
    login(client, admin_a)
    assert client.get(url("activity_edit", activity.pk)).status_code == 200
    response = client.post(
        url("activity_edit", activity.pk),
        {
            "category": categories_a["讲座"].pk,
            "date": "2026-11-02",
            "title": "安全生产讲座",
            "other_participants": "60",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.category.name, activity.participant_total) == ("讲座", 60)


def test_list_counts_per_category_and_month_and_filters(client, leader_a, center_a, categories_a):
    make_activity(center_a, categories_a["学习"], date=dt.date(2026, 3, 5), title="三月学习")
    make_activity(center_a, categories_a["学习"], date=dt.date(2026, 3, 20), title="三月再学习")
    make_activity(center_a, categories_a["节日走访"], date=dt.date(2026, 9, 25), title="中秋走访")
    make_activity(center_a, categories_a["学习"], date=dt.date(2025, 5, 5), title="去年学习")
    login(client, leader_a)
    response = client.get(url("activity_list"), {"year": "2026"})
    assert response.status_code == 200
    counts = response.context["counts"]
    assert {c["name"]: c["count"] for c in counts["categories"]}["学习"] == 2
    assert counts["months"][2] == 2 and counts["months"][8] == 1 and counts["total"] == 3
    assert len(response.context["table"].rows) == 3
    page = response.content.decode()
    assert "activities-chart-data" in page and "中秋走访" in page
    filtered = client.get(
        url("activity_list"), {"year": "2026", "month": "3", "category": categories_a["学习"].pk}
    )
    assert [r.record.title for r in filtered.context["table"].rows] == ["三月再学习", "三月学习"]
    assert [
        r.record.title
        for r in client.get(url("activity_list"), {"q": "中秋"}).context["table"].rows
    ] == ["中秋走访"]
    partial = client.get(url("activity_list"), {"year": "2026"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "中秋走访" in partial.content.decode()


def test_export_activities(client, admin_a, center_a, categories_a):
    make_activity(center_a, categories_a["学习"], participants=[admin_a.person], title="学习")
    login(client, admin_a)
    response = client.get(url("activity_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("日期", "类别", "活动主题")
    assert rows[1][1:3] == ("学习", "学习") and rows[1][5] == "管理员甲"


def test_photo_upload_serve_and_delete(client, admin_a, admin_b, center_a, categories_a):
    activity = make_activity(center_a, categories_a["学习"])
    login(client, admin_a)
    bad = client.post(url("photo_upload", activity.pk), {"image": not_an_image()})
    assert bad.status_code == 422 and not activity.photos.exists()
    ok = client.post(url("photo_upload", activity.pk), {"image": png(), "caption": "合影"})
    assert ok.status_code == 302
    photo = activity.photos.get()
    served = client.get(url("photo", photo.pk))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    client.force_login(admin_b)
    assert client.get(url("photo", photo.pk)).status_code == 404
    client.force_login(admin_a)
    assert client.post(url("photo_delete", photo.pk)).status_code == 302
    assert not activity.photos.exists()


def test_categories_add_rename_deactivate(client, admin_a, center_a):
    login(client, admin_a)
    page = client.get(url("category_list"))
    assert page.status_code == 200 and "参观教育基地" in page.content.decode()
    assert client.post(url("category_list"), {"name": "党日活动", "order": "80"}).status_code == 302
    clash = client.post(url("category_list"), {"name": "学习", "order": "1"})
    assert clash.status_code == 422 and "已有名为“学习”的类别" in clash.content.decode()
    category = ActivityCategory.objects.get(center=center_a, name="党日活动")
    prefix = f"c{category.pk}"
    renamed = client.post(
        url("category_edit", category.pk), {f"{prefix}-name": "主题党日", f"{prefix}-order": "80"}
    )
    assert renamed.status_code == 302
    client.post(url("category_edit", category.pk), {"action": "deactivate"})
    category.refresh_from_db()
    assert (category.name, category.is_active) == ("主题党日", False)
    form = client.get(url("activity_create")).context["form"]
    assert category not in form.fields["category"].queryset


def test_activity_permissions(client, staff_x, leader_a, admin_b, center_a, categories_a):
    activity = make_activity(center_a, categories_a["学习"])
    login(client, staff_x)
    for name, args in [
        ("activity_list", ()),
        ("activity_create", ()),
        ("activity_detail", (activity.pk,)),
        ("category_list", ()),
        ("survey_list", ()),
        ("survey_create", ()),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    client.force_login(leader_a)
    assert client.get(url("activity_list")).status_code == 200
    assert client.get(url("activity_detail", activity.pk)).status_code == 200
    assert client.get(url("activity_create")).status_code == 403
    assert client.get(url("activity_edit", activity.pk)).status_code == 403
    client.force_login(admin_b)
    assert client.get(url("activity_detail", activity.pk)).status_code == 404
    assert client.get(url("activity_edit", activity.pk)).status_code == 404


def test_activity_list_queries_constant(client, admin_a, center_a, categories_a, media):
    login(client, admin_a)

    def add(n):
        for i in range(n):
            a = make_activity(center_a, categories_a["学习"], title=f"学习{i}")
            photo_add(actor=None, activity=a, image=png())

    add(2)
    few = count_queries(client, url("activity_list"))
    add(18)
    assert count_queries(client, url("activity_list")) == few


# --- surveys ----------------------------------------------------------------------------


@pytest.fixture
def staff_y(agency_y):
    return make_user(
        PersonFactory(agency=agency_y, name="教育职工", phone="13912345678"), username="staff_y"
    )


def test_survey_create_questions_and_open(client, admin_a, staff_x, staff_y, agency_y):
    login(client, admin_a)
    response = client.post(
        url("survey_create"),
        {"title": "疫苗接种摸排", "deadline": "2026-12-03", "agencies": [agency_y.pk]},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.status == "draft"
    bad = client.post(
        url("question_create", survey.pk), {"text": "剂次", "kind": "choice", "choices": "1"}
    )
    assert bad.status_code == 422 and "至少需要 2 个选项" in bad.content.decode()
    client.post(
        url("question_create", survey.pk),
        {"text": "是否已接种", "kind": "yes_no", "required": "on"},
    )
    assert survey.questions.count() == 1
    assert client.post(url("survey_open", survey.pk)).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    assert list(survey.responses.values_list("person__name", flat=True)) == ["教育职工"]
    assert Notification.objects.filter(recipient=staff_y, kind="activities.survey").exists()


def test_past_deadline_is_422(client, admin_a):
    login(client, admin_a)
    response = client.post(url("survey_create"), {"title": "摸排", "deadline": "2026-11-01"})
    assert response.status_code == 422 and "截止日期不能早于今天" in response.content.decode()
    assert not Survey.objects.exists()


def _opened(admin, center, **kw):
    survey = make_survey(admin, center, **kw)
    survey_open(actor=admin, survey=survey)
    return survey, {q.text: q for q in survey.questions.all()}


def test_answer_own_sheet_on_the_phone(client, admin_a, center_a, staff_y):
    survey, q = _opened(admin_a, center_a)
    sheet = survey.responses.get(person=staff_y.person)
    login(client, staff_y)
    page = client.get(url("my_surveys"))
    assert page.status_code == 200
    assert list(page.context["pending"]) == [sheet]
    form = client.get(url("survey_answer", sheet.pk))
    assert form.status_code == 200 and f'name="q_{q["是否已接种"].pk}"' in form.content.decode()
    missing = client.post(url("survey_answer", sheet.pk), {})
    assert missing.status_code == 422 and "请回答“是否已接种”" in missing.content.decode()
    done = client.post(
        url("survey_answer", sheet.pk),
        {
            f"q_{q['是否已接种'].pk}": "yes",
            f"q_{q['接种剂次'].pk}": "2 剂",
            f"q_{q['年龄'].pk}": "35",
        },
    )
    assert done.status_code == 302 and done["Location"] == url("my_surveys")
    sheet.refresh_from_db()
    assert sheet.status == "answered" and sheet.answers.count() == 3
    assert client.get(url("my_surveys")).context["pending"] == []


def test_family_entries_on_the_phone(client, admin_a, center_a, staff_y):
    survey, q = _opened(admin_a, center_a, allow_family=True)
    sheet = survey.responses.get(person=staff_y.person)
    yes = f"q_{q['是否已接种'].pk}"
    login(client, staff_y)
    assert 'name="f0_name"' in client.get(url("survey_answer", sheet.pk)).content.decode()
    response = client.post(
        url("survey_answer", sheet.pk),
        {yes: "yes", "f1_name": "女儿", "f1_relation": "女儿", f"f1_{yes}": "no"},
    )
    assert response.status_code == 302
    assert list(sheet.family.values_list("family_name", flat=True)) == ["女儿"]
    bad = client.post(
        url("survey_answer", sheet.pk), {yes: "yes", "f0_relation": "父亲", f"f0_{yes}": "yes"}
    )
    assert bad.status_code == 422 and "请填写家属姓名" in bad.content.decode()


def test_no_answering_someone_elses_sheet(
    client, admin_a, admin_b, center_a, staff_x, staff_y, leader_a
):
    survey, q = _opened(admin_a, center_a)
    sheet = survey.responses.get(person=staff_y.person)
    for user in (staff_x, leader_a, admin_b):
        client.force_login(user)
        assert client.get(url("survey_answer", sheet.pk)).status_code == 404
        assert (
            client.post(
                url("survey_answer", sheet.pk), {f"q_{q['是否已接种'].pk}": "no"}
            ).status_code
            == 404
        )
    sheet.refresh_from_db()
    assert sheet.status == "pending"
    # The center admin fills it in for them (e.g. someone without a phone).
    client.force_login(admin_a)
    response = client.post(url("survey_answer", sheet.pk), {f"q_{q['是否已接种'].pk}": "no"})
    assert response.status_code == 302 and response["Location"] == url("survey_detail", survey.pk)


def test_detail_rate_remind_exempt_and_export(
    client, admin_a, center_a, agency_x, staff_x, staff_y
):
    make_vendor(center_a, staff=("保安甲",))
    survey, q = _opened(admin_a, center_a, include_vendor_staff=True)
    yes = q["是否已接种"].pk
    response_submit(
        actor=staff_y, response=survey.responses.get(person=staff_y.person), answers={yes: "yes"}
    )
    login(client, admin_a)
    page = client.get(url("survey_detail", survey.pk))
    assert page.status_code == 200
    overall = page.context["overall"]
    assert (overall.total, overall.done) == (4, 1)  # admin_a, staff_x, staff_y, 保安甲
    assert "完成率 25.0%" in page.content.decode()
    assert {g.label for g in page.context["groups"]} == {agency_x.name, "甲区教育局", "外包人员"}
    # Remind: only those pending with an account, not the admin himself.
    Notification.objects.all().delete()
    assert client.post(url("survey_remind", survey.pk)).status_code == 302
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["staff_x"]
    # Exempt needs a reason.
    guard = survey.responses.get(vendor_staff__name="保安甲")
    bad = client.post(url("response_exempt", survey.pk), {"response": guard.pk, "reason": ""})
    assert bad.status_code == 422 and "请填写免填原因" in bad.content.decode()
    ok = client.post(
        url("response_exempt", survey.pk), {"response": guard.pk, "reason": "接种禁忌"}
    )
    assert ok.status_code == 302
    assert client.get(url("survey_detail", survey.pk)).context["overall"].rate == 50.0
    # Export: names in full, phones masked.
    export = client.get(url("survey_detail", survey.pk), {"export": "xlsx"})
    assert export["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[0][:5] == ("单位", "姓名", "类别", "关系", "手机号码")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["教育职工"][4] == "139****5678" and by_name["教育职工"][8] == "是"
    assert by_name["保安甲"][4] == "137****1111" and by_name["保安甲"][6] == "接种禁忌"
    assert "13912345678" not in str(rows)


def test_survey_permissions(client, admin_a, admin_b, leader_a, staff_x, center_a):
    survey, _q = _opened(admin_a, center_a)
    client.force_login(staff_x)
    assert client.get(url("survey_detail", survey.pk)).status_code == 403
    assert client.post(url("survey_remind", survey.pk)).status_code == 403
    client.force_login(leader_a)
    assert client.get(url("survey_detail", survey.pk)).status_code == 200
    assert client.post(url("survey_close", survey.pk)).status_code == 403
    client.force_login(admin_b)
    assert client.get(url("survey_detail", survey.pk)).status_code == 404
    assert client.post(url("survey_close", survey.pk)).status_code == 404
    survey.refresh_from_db()
    assert survey.status == "open"


def test_survey_detail_queries_constant(client, admin_a, center_a, agency_x, agency_y):
    login(client, admin_a)

    def opened(n):
        for i in range(n):
            PersonFactory(agency=agency_x if i % 2 else agency_y)
        survey, q = _opened(admin_a, center_a, include_vendor_staff=True, allow_family=True)
        for sheet in survey.responses.all()[: n // 2]:
            response_submit(
                actor=admin_a,
                response=sheet,
                answers={q["是否已接种"].pk: "yes", q["年龄"].pk: "30"},
                family=[
                    {"name": "家属", "relation": "配偶", "answers": {q["是否已接种"].pk: "no"}}
                ],
            )
        return survey

    make_vendor(center_a)
    few = count_queries(client, url("survey_detail", opened(2).pk))
    many = count_queries(client, url("survey_detail", opened(20).pk))
    assert many == few


def test_my_surveys_empty_state_todo_and_tile(client, admin_a, center_a, staff_y):
    login(client, staff_y)
    page = client.get(url("my_surveys"))
    assert page.status_code == 200 and "暂无待填报的摸排" in page.content.decode()
    assert any(t.url_name == "activities:my_surveys" for t in tiles_for(staff_y))
    survey, _q = _opened(admin_a, center_a)
    groups = {g.source.key: g for g in todos_for(staff_y)}
    assert groups["activities"].count == 1
    sheet = SurveyResponse.objects.get(survey=survey, person=staff_y.person)
    assert groups["activities"].items[0].url == url("survey_answer", sheet.pk)


def test_edit_draft_and_delete_question(client, admin_a, center_a, agency_x):
    survey = make_survey(admin_a, center_a)
    login(client, admin_a)
    assert client.get(url("survey_edit", survey.pk)).status_code == 200
    response = client.post(
        url("survey_edit", survey.pk),
        {"title": "接种摸排（修订）", "deadline": "2026-12-10", "agencies": [agency_x.pk]},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "接种摸排（修订）" and list(survey.agencies.all()) == [agency_x]
    question = survey.questions.last()
    assert client.post(url("question_delete", survey.pk, question.pk)).status_code == 302
    assert survey.questions.count() == 2
    survey_open(actor=admin_a, survey=survey)
    assert client.get(url("survey_edit", survey.pk)).status_code == 302
    client.post(url("question_delete", survey.pk, survey.questions.first().pk))
    assert survey.questions.count() == 2
    assert client.get(url("survey_list")).context["table"].rows[0].get_cell("rate") == "0.0%"
