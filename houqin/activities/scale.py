"""The scale dataset of activities and staff surveys (seed_scale; see houqin/core/scale.py).

A district center's year: the default categories, ~60 activity records spread over the
working days (study sessions most months, volunteer service, lectures, holiday visits…), with
named participants from the agencies and a head count of others; ~10 surveys (摸排) published
through the year, each to the whole staff or to some agencies, closed after their deadline,
with a response row for everyone in scope as survey_open makes them and ~95 % answered on the
phone (a few exempt with a reason, the rest never answered), as a finished year would leave
them.
"""

import datetime as dt

from houqin.org.models import Person

from .models import (
    Activity,
    ActivityCategory,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .services.activities import categories_ensure
from .services.surveys import NO, YES

# category, title, place, organiser, named participants, others (at factor 1)
ACTIVITIES = [
    ("学习", "理论学习中心组集中学习", "中心三楼会议室", "中心办公室", 15, 0),
    ("学习", "党风廉政建设专题学习", "中心三楼会议室", "中心办公室", 20, 0),
    ("学习", "保密知识专题学习", "中心三楼会议室", "中心办公室", 18, 0),
    ("学习", "意识形态工作专题学习", "中心三楼会议室", "中心党支部", 16, 0),
    ("主题教育", "主题党日活动", "中心三楼会议室", "中心党支部", 20, 0),
    ("主题教育", "深入贯彻中央八项规定精神学习教育", "区行政中心报告厅", "中心党支部", 25, 60),
    ("志愿服务", "文明城市创建志愿服务", "行政中心周边路段", "中心团支部", 12, 30),
    ("志愿服务", "学雷锋志愿服务进社区", "城东社区", "中心团支部", 10, 20),
    ("志愿服务", "垃圾分类宣传志愿服务", "区行政中心广场", "节能股", 8, 25),
    ("志愿服务", "无偿献血志愿活动", "区中心血站", "中心工会", 6, 15),
    ("参观教育基地", "革命烈士纪念馆参观", "区革命烈士纪念馆", "中心办公室", 15, 25),
    ("参观教育基地", "廉政教育基地参观", "区廉政教育基地", "中心党支部", 15, 20),
    ("节日走访", "走访慰问困难职工", "职工家中", "中心工会", 5, 0),
    ("节日走访", "走访慰问离退休老干部", "离退休干部家中", "中心办公室", 6, 0),
    ("讲座", "公共机构节能专题讲座", "区行政中心报告厅", "节能股", 0, 180),
    ("讲座", "消防安全培训", "区行政中心报告厅", "安保消防股", 0, 220),
    ("讲座", "健康知识讲座", "区行政中心报告厅", "中心工会", 0, 160),
    ("讲座", "政府采购与内部控制培训", "中心三楼会议室", "财务股", 0, 60),
    ("其他", "职工趣味运动会", "区体育馆", "中心工会", 30, 120),
]
# Holiday visits and some themes belong to a month.
MONTHS = {"走访慰问困难职工": (1, 2), "走访慰问离退休老干部": (9, 10), "消防安全培训": (6, 11)}
# title, description, agencies share (None: everyone), questions [(text, kind, choices)]
SURVEYS = [
    ("职工体检意向摸排", "请填报本年度职工健康体检意向。", None,
     [("是否参加本年度体检", "yes_no", []),
      ("体检套餐", "choice", ["基础套餐", "女性套餐", "高端套餐"])]),
    ("疫苗接种情况摸排", "请如实填报流感疫苗接种情况。", 0.5,
     [("是否已接种流感疫苗", "yes_no", []), ("接种日期", "date", [])]),
    ("职工食堂就餐需求调查", "为优化食堂供餐，请填报就餐需求。", None,
     [("工作日是否在食堂就餐", "yes_no", []), ("最常就餐时段", "choice", ["早餐", "午餐", "晚餐"]),
      ("意见建议", "text", [])]),
    ("公务用车需求摸排", "请各单位填报下半年公务用车需求。", 0.3,
     [("每月预计用车次数", "number", []), ("主要用途", "choice", ["下乡调研", "会议", "其他"])]),
    ("防暑降温用品需求摸排", "请填报防暑降温用品需求。", None,
     [("是否需要防暑降温用品", "yes_no", [])]),
    ("职工子女入学情况摸排", "请填报有子女今年入学的情况。", 0.6,
     [("是否有子女今年入学", "yes_no", []), ("入学学段", "choice", ["幼儿园", "小学", "初中"])]),
    ("办公设备使用情况调查", "请填报办公计算机使用年限及故障情况。", 0.4,
     [("计算机使用年限（年）", "number", []), ("是否经常故障", "yes_no", [])]),
    ("停车需求摸排", "行政中心停车位调整，请填报停车需求。", None,
     [("是否自驾上班", "yes_no", []), ("车牌号", "text", [])]),
    ("节能意识问卷", "公共机构节能宣传周问卷。", None,
     [("离开办公室是否随手关灯", "yes_no", []), ("空调夏季设定温度", "number", [])]),
    ("年度满意度测评", "请对本年度后勤服务进行评价。", None,
     [("总体满意度", "choice", ["满意", "基本满意", "不满意"]), ("意见建议", "text", [])]),
]  # fmt: skip
EXEMPT_REASONS = ["长期病假", "外出培训", "借调外单位", "产假"]


def _activities(ctx, categories):
    rng = ctx.rng
    workdays = list(ctx.workdays())
    people = [p.pk for p in ctx.people]
    count = max(len(ACTIVITIES), ctx.scaled(60))
    rows, picked = [], []
    for i in range(count):
        category, title, place, organiser, named, others = ACTIVITIES[i % len(ACTIVITIES)]
        months = MONTHS.get(title)
        pool = [d for d in workdays if months is None or d.month in months] or workdays
        date = rng.choice(pool)
        named = min(len(people), ctx.scaled(named)) if named else 0
        others = ctx.scaled(others) if others else 0
        participants = rng.sample(people, named) if named else []
        rows.append(
            Activity(
                center_id=ctx.center.pk,
                category=categories[category],
                date=date,
                title=f"{date.month}月{title}",
                place=place,
                organizer=organiser,
                other_participants=others,
                participant_total=len(participants) + others,
                summary=f"{organiser}组织开展{title}。",
                recorded_by=ctx.accounts["admin"],
            )
        )
        picked.append(participants)
    rows = ctx.bulk(Activity, rows)
    through = Activity.participants.through
    links = ctx.bulk(
        through,
        (
            through(activity_id=activity.pk, person_id=pk)
            for activity, pks in zip(rows, picked, strict=True)
            for pk in pks
        ),
    )
    return len(rows) + len(links)


def _answer(rng, question, day):
    if question.kind == SurveyQuestion.Kind.YES_NO:
        return YES if rng.random() < 0.7 else NO
    if question.kind == SurveyQuestion.Kind.CHOICE:
        return rng.choice(question.choices)
    if question.kind == SurveyQuestion.Kind.NUMBER:
        return str(rng.randint(0, 12))
    if question.kind == SurveyQuestion.Kind.DATE:
        return (day - dt.timedelta(days=rng.randint(1, 200))).isoformat()
    return rng.choice(("无", "希望继续保持", "建议增加服务时段", "")) or "无"


def _surveys(ctx):
    rng, center_id, admin = ctx.rng, ctx.center.pk, ctx.accounts["admin"]
    # Everyone in post, as survey_open's population() reads them (the center's own too).
    staff = list(
        Person.objects.filter(center_id=center_id, status=Person.Status.ACTIVE).values_list(
            "pk", "agency_id", "user_id"
        )
    )
    agency_ids = [a.pk for a in ctx.agencies]
    written = 0
    count = min(len(SURVEYS), max(3, ctx.scaled(10)))
    for n, (title, description, share, questions) in enumerate(SURVEYS[:count]):
        month = 1 + n * 12 // len(SURVEYS)
        opened_day = rng.choice([d for d in ctx.workdays() if d.month == month][:15])
        opened_at = ctx.at(opened_day, 9, rng.randint(0, 59))
        deadline = opened_day + dt.timedelta(days=14)
        survey = Survey.objects.create(
            center_id=center_id,
            title=f"{ctx.year}年{title}",
            description=description,
            deadline=deadline,
            status=Survey.Status.CLOSED,
            opened_at=opened_at,
            created_by=admin,
        )
        scope = None
        if share is not None:
            scope = set(rng.sample(agency_ids, max(1, round(len(agency_ids) * share))))
            survey.agencies.set(scope)
        qs = ctx.bulk(
            SurveyQuestion,
            [
                SurveyQuestion(survey=survey, text=text, kind=kind, choices=choices, order=i)
                for i, (text, kind, choices) in enumerate(questions, start=1)
            ],
        )
        target = [row for row in staff if scope is None or row[1] in scope]
        rate = rng.uniform(0.93, 0.99)
        responses = []
        for pk, agency_id, user_id in target:
            roll = rng.random()
            response = SurveyResponse(survey=survey, person_id=pk, agency_id=agency_id)
            if roll < 0.01:
                response.status = SurveyResponse.Status.EXEMPT
                response.exempt_reason = rng.choice(EXEMPT_REASONS)
            elif roll < rate:
                day = opened_day + dt.timedelta(days=min(13, int(rng.expovariate(0.4))))
                response.status = SurveyResponse.Status.ANSWERED
                response.answered_at = ctx.at(day, rng.randint(8, 21), rng.randint(0, 59))
                response.answered_by_id = user_id or admin.pk
            responses.append(response)
        responses = ctx.bulk(SurveyResponse, responses)
        answers = ctx.bulk(
            SurveyAnswer,
            (
                SurveyAnswer(
                    response=r,
                    question=q,
                    value=_answer(rng, q, r.answered_at.date()),
                )
                for r in responses
                if r.status == SurveyResponse.Status.ANSWERED
                for q in qs
            ),
        )
        written += 1 + len(qs) + len(responses) + len(answers) + (len(scope) if scope else 0)
    return written


def seed(ctx) -> int:
    categories_ensure(center=ctx.center)
    categories = {c.name: c for c in ActivityCategory.objects.filter(center_id=ctx.center.pk)}
    return len(categories) + _activities(ctx, categories) + _surveys(ctx)
