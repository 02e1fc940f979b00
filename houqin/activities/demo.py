"""Demo activity records and a staff survey for the demo center (seed_demo).

`seed(center, *, actor=None, today=None)` returns the objects it created and is idempotent:
activities are keyed by date and title, the survey by title; a second run writes nothing.

Through the services, acted by the demo login "admin" (中心管理员, who keeps the records and
runs the surveys); without it only the categories and activities are seeded. Dates are
relative to today (this year up to today):
- the default categories and ~20 activities over the year (study sessions, themed education,
  volunteer service, a visit to an education base, holiday visits, lectures), some with named
  participants from the center's own sections, the others with a head count;
- the survey "疫苗接种情况摸排" of five agencies, open until next week, about 90 % answered
  and one person exempt (接种禁忌).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from houqin.org.models import OrgUnit, Person

from .models import Activity, ActivityCategory, Survey, SurveyResponse
from .services import activities as activity_services
from .services import surveys
from .services.surveys import NO, YES

# month, day, category, title, place, organiser, named participants, others, summary
ACTIVITIES = [
    (1, 12, "学习", "学习贯彻中央经济工作会议精神", "中心三楼会议室", "中心办公室", 12, 0,
     "集中学习会议精神，结合后勤保障工作开展讨论。"),
    (2, 20, "学习", "党风廉政建设专题学习", "中心三楼会议室", "中心办公室", 15, 0,
     "传达区纪委全会精神，签订党风廉政建设责任书。"),
    (3, 5, "志愿服务", "学雷锋志愿服务进社区", "城东社区", "中心团支部", 8, 12,
     "在社区开展义务理发、家电维修、政策宣传。"),
    (3, 28, "讲座", "公共机构节能专题讲座", "区行政中心报告厅", "节能股", 0, 160,
     "邀请专家讲解节约型机关创建和能耗统计。"),
    (4, 3, "参观教育基地", "清明节革命烈士纪念馆参观", "区革命烈士纪念馆", "中心办公室", 10, 20,
     "缅怀革命先烈，重温入党誓词。"),
    (4, 22, "学习", "《民法典》专题学习", "中心三楼会议室", "中心办公室", 14, 0, ""),
    (5, 18, "主题教育", "深入贯彻中央八项规定精神学习教育", "中心三楼会议室", "中心党支部", 16, 0,
     "对照检视问题清单，建立整改台账。"),
    (5, 30, "志愿服务", "无偿献血志愿活动", "区中心血站", "中心工会", 6, 4, ""),
    (6, 16, "讲座", "安全生产月消防安全培训", "区行政中心报告厅", "安保消防股", 0, 220,
     "讲解火灾案例，现场演示灭火器使用。"),
    (6, 28, "主题教育", "庆祝建党节主题党日", "中心三楼会议室", "中心党支部", 18, 0, ""),
    (7, 15, "学习", "意识形态工作专题学习", "中心三楼会议室", "中心办公室", 13, 0, ""),
    (8, 1, "节日走访", "八一建军节走访慰问退役军人", "中心", "中心工会", 4, 0,
     "走访慰问中心退役军人职工 6 人。"),
    (8, 26, "志愿服务", "文明城市创建志愿服务", "行政中心周边路段", "中心团支部", 10, 25, ""),
    (9, 10, "学习", "保密知识专题学习", "中心三楼会议室", "中心办公室", 15, 0, ""),
    (9, 26, "参观教育基地", "廉政教育基地参观", "区廉政教育基地", "中心党支部", 12, 8, ""),
    (10, 14, "讲座", "健康知识讲座（秋冬季传染病防控）", "区行政中心报告厅", "中心工会", 0, 180,
     ""),
    (10, 29, "主题教育", "重阳节走访慰问离退休老干部", "离退休干部家中", "中心办公室", 5, 0, ""),
    (11, 6, "学习", "党的二十届四中全会精神专题学习", "中心三楼会议室", "中心党支部", 18, 0,
     "原原本本学习全会公报，交流学习体会。"),
    (11, 18, "志愿服务", "垃圾分类宣传志愿服务", "区行政中心广场", "节能股", 6, 15, ""),
    (11, 24, "讲座", "政府采购与内部控制培训", "中心三楼会议室", "财务股", 0, 45, ""),
]  # fmt: skip
SURVEY_TITLE = "疫苗接种情况摸排"
SURVEY_AGENCIES = ["ZFB", "CZJ", "FGJ", "JYJ", "WJJ"]
ANSWERED_SHARE = 0.9


def _admin(center):
    return (
        get_user_model()
        .objects.filter(username="admin", center_id=center.pk, is_active=True)
        .first()
    )


def seed_activities(center, actor, today):
    activity_services.categories_ensure(center=center)
    categories = {c.name: c for c in ActivityCategory.objects.filter(center=center)}
    staff = list(
        Person.objects.filter(
            center_id=center.pk, agency__kind=OrgUnit.Kind.SECTION, status=Person.Status.ACTIVE
        ).order_by("pk")[:20]
    ) or list(Person.objects.filter(center_id=center.pk).order_by("pk")[:20])
    existing = set(
        Activity.objects.filter(center=center, date__year=today.year).values_list("date", "title")
    )
    created = []
    for month, day, category, title, place, organiser, named, others, summary in ACTIVITIES:
        date = dt.date(today.year, month, day)
        if date > today or (date, title) in existing or category not in categories:
            continue
        created.append(
            activity_services.activity_save(
                actor=actor,
                center=center,
                category=categories[category],
                date=date,
                title=title,
                place=place,
                organizer=organiser,
                participants=staff[:named],
                other_participants=others,
                summary=summary,
            )
        )
    return created


def seed_survey(center, admin, today):
    if Survey.objects.filter(center=center, title=SURVEY_TITLE).exists():
        return []
    agencies = list(OrgUnit.objects.filter(center=center, code__in=SURVEY_AGENCIES))
    survey = surveys.survey_create(
        actor=admin,
        center=center,
        title=SURVEY_TITLE,
        description="请各单位干部职工如实填报本人新冠病毒疫苗及流感疫苗接种情况。",
        deadline=today + dt.timedelta(days=7),
        agencies=agencies,
    )
    vaccinated = surveys.question_add(
        actor=admin, survey=survey, text="是否已完成新冠病毒疫苗接种", kind="yes_no"
    )
    doses = surveys.question_add(
        actor=admin,
        survey=survey,
        text="已接种剂次",
        kind="choice",
        choices=["未接种", "1 剂", "2 剂", "3 剂及以上"],
    )
    flu = surveys.question_add(
        actor=admin, survey=survey, text="今年是否接种流感疫苗", kind="yes_no"
    )
    surveys.survey_open(actor=admin, survey=survey)
    responses = list(
        SurveyResponse.objects.filter(survey=survey, parent__isnull=True)
        .select_related("survey", "person")
        .order_by("pk")
    )
    if not responses:
        return [survey]
    surveys.response_exempt(actor=admin, response=responses[0], reason="接种禁忌（过敏体质）")
    answered = max(0, round(len(responses) * ANSWERED_SHARE) - 1)
    for i, response in enumerate(responses[1 : answered + 1]):
        no = i % 17 == 5
        surveys.response_submit(
            actor=admin,
            response=response,
            answers={
                vaccinated.pk: NO if no else YES,
                doses.pk: "未接种" if no else ("2 剂" if i % 4 == 0 else "3 剂及以上"),
                flu.pk: YES if i % 3 else NO,
            },
        )
    return [survey]


def seed(center, *, actor=None, today=None) -> list:
    today = today or timezone.localdate()
    admin = _admin(center)
    created = seed_activities(center, None, today)
    if admin is not None:
        created += seed_survey(center, admin, today)
    return created
