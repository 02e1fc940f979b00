"""Staff surveys (摸排统计): create a survey with typed questions, open it to its population
(one response row per person in scope, notified), collect answers from the phone, exempt with
a reason, remind those still pending (at most once a day each) and close."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.notifications.services import notify
from houqin.org.models import OrgUnit, Person

from ..models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .common import SURVEY_PERM, require_manager
from .common import text as clean_text

NOTIFY_KIND = "activities.survey"
MAX_CHOICES = 20
MAX_FAMILY = 10
YES, NO = "yes", "no"


def _require_status(survey, *statuses, message):
    if survey.status not in statuses:
        raise ValidationError(message)


def _agencies(center, agencies):
    agencies = list(agencies or ())
    ids = {a.pk for a in agencies}
    if ids:
        ok = OrgUnit.objects.filter(
            pk__in=ids, center_id=center.pk, kind=OrgUnit.Kind.AGENCY
        ).count()
        if ok != len(ids):
            raise ValidationError({"agencies": _("摸排范围须为本中心的单位。")})
    return ids


@transaction.atomic
def survey_save(
    *,
    actor,
    center,
    title,
    deadline,
    description="",
    agencies=(),
    include_vendor_staff=False,
    allow_family=False,
    survey=None,
) -> Survey:
    """Create a survey (a draft), or change a draft. Empty `agencies` = all active staff."""
    require_manager(actor, center.pk, SURVEY_PERM)
    if survey is not None:
        _require_status(
            survey, Survey.Status.DRAFT, message=_("摸排已发布，不能再修改范围和问题。")
        )
    if deadline is None:
        raise ValidationError({"deadline": _("请填写截止日期。")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("截止日期不能早于今天。")})
    ids = _agencies(center, agencies)
    survey = survey or Survey(center=center, created_by=actor)
    survey.title = clean_text(title, "title", _("摸排主题"), 100, required=True)
    survey.description = clean_text(description, "description", _("说明"), 2000)
    survey.deadline = deadline
    survey.include_vendor_staff = bool(include_vendor_staff)
    survey.allow_family = bool(allow_family)
    survey.save()
    survey.agencies.set(ids)
    return survey


def survey_create(*, actor, center, **fields) -> Survey:
    return survey_save(actor=actor, center=center, **fields)


def _clean_choices(kind, choices):
    if kind != SurveyQuestion.Kind.CHOICE:
        return []
    if isinstance(choices, str):
        choices = choices.splitlines()
    options = []
    for option in choices or ():
        option = str(option).strip()
        if option and option not in options:
            options.append(option)
    if len(options) < 2:
        raise ValidationError({"choices": _("单选题至少需要 2 个选项（每行一个）。")})
    if len(options) > MAX_CHOICES:
        raise ValidationError({"choices": _("选项不能超过 %(n)s 个。") % {"n": MAX_CHOICES}})
    if any(len(o) > 100 for o in options):
        raise ValidationError({"choices": _("每个选项不能超过 100 个字。")})
    return options


@transaction.atomic
def question_add(*, actor, survey, text, kind, choices=(), required=True) -> SurveyQuestion:
    require_manager(actor, survey.center_id, SURVEY_PERM)
    _require_status(survey, Survey.Status.DRAFT, message=_("摸排已发布，不能再修改问题。"))
    if kind not in SurveyQuestion.Kind.values:
        raise ValidationError({"kind": _("请选择问题类型。")})
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    return SurveyQuestion.objects.create(
        survey=survey,
        text=clean_text(text, "text", _("问题"), 200, required=True),
        kind=kind,
        choices=_clean_choices(kind, choices),
        required=bool(required),
        order=last + 1,
    )


@transaction.atomic
def question_delete(*, actor, question):
    survey = question.survey
    require_manager(actor, survey.center_id, SURVEY_PERM)
    _require_status(survey, Survey.Status.DRAFT, message=_("摸排已发布，不能再修改问题。"))
    question.delete()


def population(survey):
    """(people, vendor staff) in the survey's scope today."""
    people = Person.objects.filter(
        center_id=survey.center_id, status=Person.Status.ACTIVE
    ).select_related("user")
    agency_ids = list(survey.agencies.values_list("pk", flat=True))
    if agency_ids:
        people = people.filter(agency_id__in=agency_ids)
    staff = []
    if survey.include_vendor_staff:
        from houqin.vendors.models import VendorStaff

        today = timezone.localdate()
        staff = list(
            VendorStaff.objects.filter(
                Q(start_date__isnull=True) | Q(start_date__lte=today),
                Q(end_date__isnull=True) | Q(end_date__gte=today),
                vendor__center_id=survey.center_id,
                vendor__is_active=True,
            )
        )
    return list(people), staff


@transaction.atomic
def survey_open(*, actor, survey) -> int:
    """Publish: one response row per person in scope; notify those with an account.
    Returns the number of response rows."""
    require_manager(actor, survey.center_id, SURVEY_PERM)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_status(locked, Survey.Status.DRAFT, message=_("只有草稿状态的摸排可以发布。"))
    if not survey.questions.exists():
        raise ValidationError(_("请先添加至少一个问题。"))
    if survey.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("截止日期已过，请先修改截止日期。")})
    people, staff = population(survey)
    if not people and not staff:
        raise ValidationError(_("摸排范围内没有人员。"))
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=survey, person=p, agency_id=p.agency_id) for p in people]
        + [SurveyResponse(survey=survey, vendor_staff=s) for s in staff]
    )
    survey.status = Survey.Status.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    notify(
        recipients=[p.user for p in people if p.user_id],
        kind=NOTIFY_KIND,
        title=_("请填报摸排：%(t)s") % {"t": survey.title},
        body=_("截止日期 %(d)s") % {"d": survey.deadline.isoformat()},
        url=reverse("activities:my_surveys"),
        obj=survey,
        actor=actor,
    )
    return len(people) + len(staff)


@transaction.atomic
def survey_close(*, actor, survey) -> Survey:
    require_manager(actor, survey.center_id, SURVEY_PERM)
    _require_status(survey, Survey.Status.OPEN, message=_("只有进行中的摸排可以结束。"))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    return survey


def _parse(question, raw, field):
    """The stored text of one answer, or "" when left empty."""
    value = "" if raw is None else str(raw).strip()
    if value == "":
        if question.required:
            raise ValidationError({field: _("请回答“%(q)s”。") % {"q": question.text}})
        return ""
    kind = question.kind
    if kind == SurveyQuestion.Kind.YES_NO:
        if value not in (YES, NO):
            raise ValidationError({field: _("请选择“是”或“否”。")})
    elif kind == SurveyQuestion.Kind.CHOICE:
        if value not in question.choices:
            raise ValidationError({field: _("请从选项中选择。")})
    elif kind == SurveyQuestion.Kind.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError({field: _("请填写数字。")}) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError({field: _("请填写数字。")})
        value = format(number.normalize(), "f")
    elif kind == SurveyQuestion.Kind.DATE:
        if isinstance(raw, dt.date):
            value = raw.isoformat()
        else:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ValidationError({field: _("请填写日期（如 2026-11-26）。")}) from None
    elif len(value) > 500:
        raise ValidationError({field: _("回答不能超过 500 个字。")})
    return value


def _clean_answers(questions, answers, prefix=""):
    """{question pk: text} for the non-empty answers; errors keyed `<prefix>q_<pk>`."""
    answers = answers or {}
    cleaned, errors = {}, {}
    for q in questions:
        raw = answers.get(q.pk, answers.get(str(q.pk), answers.get(f"q_{q.pk}")))
        try:
            value = _parse(q, raw, f"{prefix}q_{q.pk}")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if value != "":
            cleaned[q.pk] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def may_answer(user, response) -> bool:
    """The person themselves, or a survey manager of the center for anyone."""
    if user.center_id != response.survey.center_id:
        return False
    if user.has_perm(SURVEY_PERM):
        return True
    return response.person_id is not None and response.person.user_id == user.pk


def _write_answers(response, cleaned):
    response.answers.all().delete()
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, question_id=pk, value=v) for pk, v in cleaned.items()]
    )


@transaction.atomic
def response_submit(*, actor, response, answers, family=()) -> SurveyResponse:
    """Answer (or correct the answer of) one person's sheet while the survey is open.
    `answers`: {question pk or "q_<pk>": value}; `family`: [{"name", "relation", "answers"}]
    when the survey allows family members (replaces those given before)."""
    survey = response.survey
    if response.parent_id is not None or not may_answer(actor, response):
        raise PermissionDenied(_("只能填报本人的摸排。"))
    _require_status(survey, Survey.Status.OPEN, message=_("摸排未在进行中，不能填报。"))
    if response.status == SurveyResponse.Status.EXEMPT:
        raise ValidationError(_("已免于填报，无需填写。"))
    questions = list(survey.questions.all())
    cleaned = _clean_answers(questions, answers)
    family = list(family or ())
    if family and not survey.allow_family:
        raise ValidationError({"family": _("本次摸排不填报家属。")})
    if len(family) > MAX_FAMILY:
        raise ValidationError({"family": _("家属最多填报 %(n)s 人。") % {"n": MAX_FAMILY}})
    members = []
    for i, member in enumerate(family):
        prefix = f"f{member.get('slot', i)}_"
        name = clean_text(member.get("name"), f"{prefix}name", _("家属姓名"), 40, required=True)
        relation = clean_text(member.get("relation"), f"{prefix}relation", _("关系"), 20)
        members.append((name, relation, _clean_answers(questions, member.get("answers"), prefix)))
    now = timezone.now()
    response.status = SurveyResponse.Status.ANSWERED
    response.answered_at = now
    response.answered_by = actor
    response.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    _write_answers(response, cleaned)
    response.family.all().delete()
    for name, relation, member_answers in members:
        child = SurveyResponse.objects.create(
            survey=survey,
            parent=response,
            family_name=name,
            family_relation=relation,
            agency_id=response.agency_id,
            status=SurveyResponse.Status.ANSWERED,
            answered_at=now,
            answered_by=actor,
        )
        _write_answers(child, member_answers)
    return response


@transaction.atomic
def response_exempt(*, actor, response, reason) -> SurveyResponse:
    survey = response.survey
    require_manager(actor, survey.center_id, SURVEY_PERM)
    if response.parent_id is not None:
        raise ValidationError(_("家属不单独免填。"))
    _require_status(survey, Survey.Status.OPEN, message=_("摸排未在进行中。"))
    response.exempt_reason = clean_text(reason, "reason", _("免填原因"), 200, required=True)
    response.status = SurveyResponse.Status.EXEMPT
    response.save(update_fields=["status", "exempt_reason", "updated_at"])
    response.answers.all().delete()
    response.family.all().delete()
    return response


@transaction.atomic
def survey_remind(*, actor, survey) -> int:
    """Notify the people still pending who have an account and were not reminded today.
    Returns how many were reminded."""
    require_manager(actor, survey.center_id, SURVEY_PERM)
    _require_status(survey, Survey.Status.OPEN, message=_("摸排未在进行中。"))
    now = timezone.now()
    start_of_day = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    due = (
        survey.responses.select_for_update(of=("self",))
        .filter(
            status=SurveyResponse.Status.PENDING,
            parent__isnull=True,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
        .select_related("person__user")
    )
    due = list(due)
    if not due:
        return 0
    notify(
        recipients=[r.person.user for r in due],
        kind=NOTIFY_KIND,
        title=_("提醒：请尽快填报摸排“%(t)s”") % {"t": survey.title},
        body=_("截止日期 %(d)s") % {"d": survey.deadline.isoformat()},
        url=reverse("activities:my_surveys"),
        obj=survey,
        actor=actor,
    )
    SurveyResponse.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return len(due)
