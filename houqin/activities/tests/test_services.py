# ruff: noqa: F811  (fixtures imported from fixtures_activities are used as parameters)
"""Activities and surveys services: categories, activity rules (date, participants total),
counts per category and per month; survey scope when opened (all staff, agency subset,
vendor staff), answers and family entries, completion rate with exemptions, aggregates,
reminders only to those pending and at most once a day, and the rules on bad input (Chinese
message, nothing written)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.activities.figures import activity_counts, survey_aggregates, survey_progress
from houqin.activities.models import Activity, ActivityPhoto, Survey, SurveyResponse
from houqin.activities.services.activities import (
    DEFAULT_CATEGORIES,
    activity_save,
    categories_ensure,
    category_save,
    photo_add,
)
from houqin.activities.services.surveys import (
    question_add,
    response_exempt,
    response_submit,
    survey_close,
    survey_open,
    survey_remind,
)
from houqin.core.notifications.models import Notification
from houqin.org.models import Person
from houqin.org.tests.factories import PersonFactory, make_user

from .fixtures_activities import (  # noqa: F401  (fixtures)
    NOW,
    TODAY,
    categories_a,
    clock,
    leader_a,
    make_activity,
    make_survey,
    make_vendor,
    media,
    not_an_image,
    png,
)

pytestmark = pytest.mark.django_db


# --- activities -------------------------------------------------------------------------


def test_default_categories_created_once(center_a):
    assert categories_ensure(center=center_a) == len(DEFAULT_CATEGORIES)
    assert categories_ensure(center=center_a) == 0
    names = list(center_a_categories(center_a))
    assert names == list(DEFAULT_CATEGORIES)


def center_a_categories(center):
    from houqin.activities.models import ActivityCategory

    return ActivityCategory.objects.filter(center=center).values_list("name", flat=True)


def test_category_name_unique_per_center(admin_a, center_a, categories_a):
    with pytest.raises(ValidationError) as exc:
        category_save(actor=admin_a, center=center_a, name=" 学习 ")
    assert "已有名为“学习”的类别" in exc.value.message_dict["name"][0]
    renamed = category_save(
        actor=admin_a, center=center_a, name="理论学习", order=5, category=categories_a["学习"]
    )
    assert renamed.name == "理论学习"


def test_activity_total_is_people_picked_plus_others(admin_a, center_a, categories_a, staff_x):
    people = [admin_a.person, staff_x.person]
    activity = activity_save(
        actor=admin_a,
        center=center_a,
        category=categories_a["志愿服务"],
        date=TODAY,
        title="文明城市创建志愿服务",
        participants=people,
        other_participants=15,
    )
    assert activity.participant_total == 17
    assert set(activity.participants.all()) == set(people)
    activity_save(
        actor=admin_a,
        center=center_a,
        category=categories_a["志愿服务"],
        date=TODAY,
        title="文明城市创建志愿服务",
        participants=people[:1],
        other_participants=0,
        activity=activity,
    )
    activity.refresh_from_db()
    assert activity.participant_total == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": TODAY + dt.timedelta(days=1)}, "date", "活动日期不能晚于今天"),
        ({"title": "  "}, "title", "请填写活动主题"),
        ({"other_participants": 0}, "participants", "请选择参加人员或填写其他参加人数"),
    ],
)
def test_activity_rules(admin_a, center_a, categories_a, change, field, message):
    data = {
        "category": categories_a["学习"],
        "date": TODAY,
        "title": "集中学习",
        "other_participants": 5,
        **change,
    }
    with pytest.raises(ValidationError) as exc:
        activity_save(actor=admin_a, center=center_a, **data)
    assert message in exc.value.message_dict[field][0]
    assert not Activity.objects.exists()


def test_participants_must_be_of_the_center(admin_a, center_a, categories_a, person_b):
    with pytest.raises(ValidationError) as exc:
        activity_save(
            actor=admin_a,
            center=center_a,
            category=categories_a["学习"],
            date=TODAY,
            title="集中学习",
            participants=[person_b],
        )
    assert "本中心人员" in exc.value.message_dict["participants"][0]


def test_inactive_category_refused_for_new_activities(admin_a, center_a, categories_a):
    category = categories_a["讲座"]
    category.is_active = False
    category.save()
    with pytest.raises(ValidationError) as exc:
        make_activity(center_a, category)
    assert "已停用" in exc.value.message_dict["category"][0]


def test_only_center_admin_writes(staff_x, leader_a, admin_b, center_a, categories_a):
    for actor in (staff_x, leader_a, admin_b):
        with pytest.raises(PermissionDenied):
            activity_save(
                actor=actor,
                center=center_a,
                category=categories_a["学习"],
                date=TODAY,
                title="集中学习",
                other_participants=3,
            )


def test_photo_must_be_an_image(admin_a, center_a, categories_a, media):
    activity = make_activity(center_a, categories_a["学习"])
    with pytest.raises(ValidationError) as exc:
        photo_add(actor=admin_a, activity=activity, image=not_an_image())
    assert exc.value.message_dict["image"]
    assert not ActivityPhoto.objects.exists()
    photo_add(actor=admin_a, activity=activity, image=png(), caption="合影")
    assert activity.photos.count() == 1


def test_counts_per_category_and_per_month(center_a, center_b, categories_a):
    make_activity(center_a, categories_a["学习"], date=dt.date(2026, 3, 5), other_participants=20)
    make_activity(center_a, categories_a["学习"], date=dt.date(2026, 3, 19), other_participants=30)
    make_activity(center_a, categories_a["志愿服务"], date=dt.date(2026, 9, 1))
    make_activity(center_a, categories_a["学习"], date=dt.date(2025, 12, 1))  # last year
    categories_ensure(center=center_b)
    from houqin.activities.models import ActivityCategory

    other = ActivityCategory.objects.get(center=center_b, name="学习")
    make_activity(center_b, other, date=dt.date(2026, 3, 5))  # another center

    counts = activity_counts(center_a.pk, 2026)
    by_name = {c["name"]: c for c in counts["categories"]}
    assert by_name["学习"] == {"name": "学习", "count": 2, "participants": 50}
    assert by_name["志愿服务"]["count"] == 1
    assert by_name["讲座"]["count"] == 0
    assert counts["months"][2] == 2 and counts["months"][8] == 1
    assert sum(counts["months"]) == 3 == counts["total"]
    assert counts["participants"] == 60


# --- surveys ----------------------------------------------------------------------------


@pytest.fixture
def people_a(agency_x, agency_y):
    """Active staff: two in X (plus admin_a), one in Y with an account; one retired in X."""
    x1 = PersonFactory(agency=agency_x, name="财政甲")
    x2 = PersonFactory(agency=agency_x, name="财政乙")
    y1 = PersonFactory(agency=agency_y, name="教育甲")
    make_user(y1, username="y1")
    PersonFactory(agency=agency_x, name="退休人员", status=Person.Status.RETIRED, status_date=TODAY)
    return {"x1": x1, "x2": x2, "y1": y1}


def test_open_creates_one_response_per_active_person(admin_a, center_a, people_a, person_b):
    survey = make_survey(admin_a, center_a)
    n = survey_open(actor=admin_a, survey=survey)
    names = set(survey.responses.values_list("person__name", flat=True))
    assert names == {"管理员甲", "财政甲", "财政乙", "教育甲"}
    assert n == 4
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.opened_at == NOW
    # Only people with an account are notified (admin_a opened it himself: not notified).
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"y1"}
    assert Notification.objects.get().kind == "activities.survey"


def test_open_agency_subset(admin_a, center_a, agency_y, people_a):
    survey = make_survey(admin_a, center_a, agencies=[agency_y])
    survey_open(actor=admin_a, survey=survey)
    assert list(survey.responses.values_list("person__name", "agency_id")) == [
        ("教育甲", agency_y.pk)
    ]


def test_open_includes_vendor_staff_on_post(admin_a, center_a, agency_y, center_b, people_a):
    vendor = make_vendor(center_a)
    left = vendor.staff.create(
        name="已离岗", post="门岗", start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 1, 1)
    )
    make_vendor(center_a, name="已终止合作公司", staff=("旧人员",), is_active=False)
    make_vendor(center_b, name="乙区保安公司", staff=("乙保安",))
    survey = make_survey(admin_a, center_a, agencies=[agency_y], include_vendor_staff=True)
    assert survey_open(actor=admin_a, survey=survey) == 3
    staff = set(
        survey.responses.filter(vendor_staff__isnull=False).values_list(
            "vendor_staff__name", flat=True
        )
    )
    assert staff == {"保安甲", "保安乙"}
    assert not survey.responses.filter(vendor_staff=left).exists()


def test_open_needs_questions_and_is_once(admin_a, center_a, people_a):
    survey = make_survey(admin_a, center_a, questions=False)
    with pytest.raises(ValidationError) as exc:
        survey_open(actor=admin_a, survey=survey)
    assert "请先添加至少一个问题" in exc.value.messages[0]
    assert not SurveyResponse.objects.exists()
    question_add(actor=admin_a, survey=survey, text="是否已接种", kind="yes_no")
    survey_open(actor=admin_a, survey=survey)
    with pytest.raises(ValidationError):
        survey_open(actor=admin_a, survey=survey)
    assert survey.responses.count() == 4
    with pytest.raises(ValidationError) as exc:
        question_add(actor=admin_a, survey=survey, text="再加一题", kind="text")
    assert "不能再修改问题" in exc.value.messages[0]


def test_choice_question_needs_two_options(admin_a, center_a):
    survey = make_survey(admin_a, center_a, questions=False)
    with pytest.raises(ValidationError) as exc:
        question_add(actor=admin_a, survey=survey, text="血型", kind="choice", choices="A\n\n A ")
    assert "至少需要 2 个选项" in exc.value.message_dict["choices"][0]
    assert not survey.questions.exists()
    q = question_add(actor=admin_a, survey=survey, text="血型", kind="choice", choices="A\nB\nA")
    assert q.choices == ["A", "B"]


def _open(admin, center, **kw):
    survey = make_survey(admin, center, **kw)
    survey_open(actor=admin, survey=survey)
    return survey, {q.text: q for q in survey.questions.all()}


def test_person_answers_own_sheet(admin_a, center_a, people_a):
    survey, q = _open(admin_a, center_a)
    y1 = people_a["y1"]
    response = survey.responses.get(person=y1)
    response_submit(
        actor=y1.user,
        response=response,
        answers={f"q_{q['是否已接种'].pk}": "yes", q["接种剂次"].pk: "3 剂", q["年龄"].pk: "41"},
    )
    response.refresh_from_db()
    assert response.status == "answered" and response.answered_by == y1.user
    assert dict(response.answers.values_list("question__text", "value")) == {
        "是否已接种": "yes",
        "接种剂次": "3 剂",
        "年龄": "41",
    }


def test_nobody_answers_someone_elses_sheet(admin_a, center_a, people_a, staff_x, leader_a):
    survey, q = _open(admin_a, center_a)
    response = survey.responses.get(person=people_a["x1"])
    for actor in (staff_x, leader_a):
        with pytest.raises(PermissionDenied):
            response_submit(actor=actor, response=response, answers={q["是否已接种"].pk: "no"})
    # The center admin may fill it in for them.
    response_submit(actor=admin_a, response=response, answers={q["是否已接种"].pk: "no"})
    assert SurveyResponse.objects.get(pk=response.pk).answered_by == admin_a


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("是否已接种", "", "请回答“是否已接种”"),
        ("是否已接种", "maybe", "请选择“是”或“否”"),
        ("接种剂次", "4 剂", "请从选项中选择"),
        ("年龄", "四十", "请填写数字"),
    ],
)
def test_bad_answers(admin_a, center_a, people_a, question, value, message):
    survey, q = _open(admin_a, center_a)
    response = survey.responses.get(person=people_a["y1"])
    answers = {q["是否已接种"].pk: "yes", q[question].pk: value}
    with pytest.raises(ValidationError) as exc:
        response_submit(actor=people_a["y1"].user, response=response, answers=answers)
    assert message in exc.value.message_dict[f"q_{q[question].pk}"][0]
    response.refresh_from_db()
    assert response.status == "pending" and not response.answers.exists()


def test_family_entries(admin_a, center_a, people_a):
    survey, q = _open(admin_a, center_a, allow_family=True)
    y1 = people_a["y1"]
    response = survey.responses.get(person=y1)
    yes = q["是否已接种"].pk
    family = [
        {"name": "教育甲之母", "relation": "母亲", "answers": {yes: "no"}},
        {"name": "教育甲之子", "relation": "儿子", "answers": {yes: "yes"}},
    ]
    response_submit(actor=y1.user, response=response, answers={yes: "yes"}, family=family)
    assert response.family.count() == 2
    # Answering again replaces the family entries.
    response_submit(actor=y1.user, response=response, answers={yes: "yes"}, family=family[:1])
    assert list(response.family.values_list("family_name", flat=True)) == ["教育甲之母"]
    # Family members do not change the completion rate; their answers count in aggregates.
    overall, _groups = survey_progress(survey)
    assert (overall.total, overall.answered) == (4, 1)
    agg = {a.question.text: a for a in survey_aggregates(survey)}
    assert agg["是否已接种"].answered == 2
    bad = [{"name": "", "relation": "父亲", "answers": {yes: "yes"}}]
    with pytest.raises(ValidationError) as exc:
        response_submit(actor=y1.user, response=response, answers={yes: "yes"}, family=bad)
    assert "请填写家属姓名" in exc.value.message_dict["f0_name"][0]


def test_family_refused_when_not_allowed(admin_a, center_a, people_a):
    survey, q = _open(admin_a, center_a)
    response = survey.responses.get(person=people_a["y1"])
    with pytest.raises(ValidationError) as exc:
        response_submit(
            actor=people_a["y1"].user,
            response=response,
            answers={q["是否已接种"].pk: "yes"},
            family=[{"name": "家属", "relation": "", "answers": {}}],
        )
    assert "不填报家属" in exc.value.message_dict["family"][0]


def test_completion_rate_counts_exempt(admin_a, center_a, agency_x, agency_y, people_a):
    survey, q = _open(admin_a, center_a)
    yes = q["是否已接种"].pk
    y1 = people_a["y1"]
    response_submit(actor=y1.user, response=survey.responses.get(person=y1), answers={yes: "yes"})
    x1 = survey.responses.get(person=people_a["x1"])
    with pytest.raises(ValidationError) as exc:
        response_exempt(actor=admin_a, response=x1, reason="  ")
    assert "请填写免填原因" in exc.value.message_dict["reason"][0]
    response_exempt(actor=admin_a, response=x1, reason="接种禁忌")
    overall, groups = survey_progress(survey)
    assert (overall.total, overall.answered, overall.exempt, overall.pending) == (4, 1, 1, 2)
    assert overall.rate == 50.0
    by_label = {g.label: g for g in groups}
    assert (by_label[agency_x.name].total, by_label[agency_x.name].rate) == (3, 33.3)
    assert by_label[agency_y.name].rate == 100.0


def test_aggregates(admin_a, center_a, people_a, staff_x):
    survey, q = _open(admin_a, center_a)
    yes, doses, age = q["是否已接种"].pk, q["接种剂次"].pk, q["年龄"].pk
    answers = [
        (admin_a, {yes: "yes", doses: "3 剂", age: "40"}),
        (admin_a, {yes: "yes", doses: "3 剂", age: "50.5"}),
        (admin_a, {yes: "no"}),
    ]
    sheets = survey.responses.order_by("id")[:3]
    for (actor, values), response in zip(answers, sheets, strict=True):
        response_submit(actor=actor, response=response, answers=values)
    agg = {a.question.text: a for a in survey_aggregates(survey)}
    assert agg["是否已接种"].counts == [("是", 2, 66.7), ("否", 1, 33.3)]
    assert agg["接种剂次"].counts == [("1 剂", 0, 0), ("2 剂", 0, 0), ("3 剂", 2, 100.0)]
    assert (str(agg["年龄"].total), str(agg["年龄"].average)) == ("90.5", "45.25")


def test_remind_only_pending_and_once_a_day(admin_a, center_a, agency_x, people_a, monkeypatch):
    x1 = people_a["x1"]
    make_user(x1, username="x1")
    survey, q = _open(admin_a, center_a)
    y1 = people_a["y1"]
    response_submit(
        actor=y1.user, response=survey.responses.get(person=y1), answers={q["是否已接种"].pk: "no"}
    )
    Notification.objects.all().delete()
    # x1 is pending with an account; x2 has no account; y1 answered; admin_a is the actor.
    assert survey_remind(actor=admin_a, survey=survey) == 2  # x1 and admin_a's own sheet
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"x1"}
    assert survey.responses.get(person=x1).reminded_at == NOW
    assert survey_remind(actor=admin_a, survey=survey) == 0  # same day
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW + dt.timedelta(days=1))
    assert survey_remind(actor=admin_a, survey=survey) == 2


def test_closed_survey_takes_no_answers(admin_a, center_a, people_a):
    survey, q = _open(admin_a, center_a)
    survey_close(actor=admin_a, survey=survey)
    response = survey.responses.get(person=people_a["y1"])
    with pytest.raises(ValidationError) as exc:
        response_submit(
            actor=people_a["y1"].user, response=response, answers={q["是否已接种"].pk: "yes"}
        )
    assert "不能填报" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        survey_remind(actor=admin_a, survey=survey)
