"""摸排统计 pages: the managers' survey list and detail (questions editor while draft,
open/close, live completion rate overall and per agency, pending list with reminders,
exemptions, aggregates, xlsx export with phones masked), and the phone pages where each person
answers their own sheet.

Thin: parse, fetch through the scoped selectors (404 for another center or someone else's
sheet), call one service, render (422 with the errors on the form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from houqin.core.audit import record_export
from houqin.core.crypto import mask_phone
from houqin.core.forms import apply_errors
from houqin.core.xlsx import Column, build_workbook, xlsx_response

from ..figures import answer_label, survey_aggregates, survey_progress
from ..filters.activities import SurveyFilter
from ..forms.surveys import AnswerForm, ExemptForm, QuestionForm, SurveyForm
from ..models import Survey, SurveyAnswer, SurveyResponse
from ..selectors import answerable_responses, my_responses, responses_for, surveys_for
from ..services.surveys import (
    MAX_FAMILY,
    question_add,
    question_delete,
    response_exempt,
    response_submit,
    survey_close,
    survey_create,
    survey_open,
    survey_remind,
    survey_save,
)
from ..tables.activities import SurveyTable

PAGE_SIZE = 50
MENU = "activities_surveys"
PENDING_SHOWN = 200


def _survey(request, pk):
    return get_object_or_404(surveys_for(request.user), pk=pk)


@login_required
@permission_required("activities.view_survey", raise_exception=True)
def survey_list(request):
    top = Q(responses__parent__isnull=True)
    qs = surveys_for(request.user).annotate(
        total=Count("responses", filter=top),
        done=Count(
            "responses",
            filter=top & ~Q(responses__status=SurveyResponse.Status.PENDING),
        ),
    )
    filterset = SurveyFilter(request.GET, queryset=qs)
    table = SurveyTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "activities/surveys/list.html"
    return render(
        request,
        f"{template}#results" if request.htmx else template,
        {"table": table, "filter": filterset, "active_menu": MENU},
    )


def _survey_form_page(request, form, survey=None):
    return render(
        request,
        "activities/surveys/form.html",
        {"form": form, "survey": survey, "active_menu": MENU},
        status=422 if form.errors else 200,
    )


@login_required
@permission_required("activities.add_survey", raise_exception=True)
def survey_create_view(request):
    center = request.user.center
    form = SurveyForm(request.POST or None, center_id=center.pk)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(actor=request.user, center=center, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已创建摸排“%(t)s”，请添加问题后发布。") % {"t": survey.title}
            )
            return redirect("activities:survey_detail", pk=survey.pk)
    return _survey_form_page(request, form)


@login_required
@permission_required("activities.change_survey", raise_exception=True)
def survey_edit(request, pk):
    survey = _survey(request, pk)
    if survey.status != Survey.Status.DRAFT:
        messages.error(request, _("摸排已发布，不能再修改范围。"))
        return redirect("activities:survey_detail", pk=survey.pk)
    form = SurveyForm(request.POST or None, center_id=survey.center_id, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            survey_save(
                actor=request.user, center=survey.center, survey=survey, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:survey_detail", pk=survey.pk)
    return _survey_form_page(request, form, survey)


def _detail(request, survey, *, question_form=None, exempt_form=None, status=200):
    user = request.user
    can_manage = user.has_perm("activities.change_survey")
    questions = list(survey.questions.all())
    overall, groups = survey_progress(survey)
    pending = list(
        responses_for(user)
        .filter(survey=survey, parent__isnull=True, status=SurveyResponse.Status.PENDING)
        .order_by("agency__path", "vendor_staff__vendor__name", "person__name", "id")[
            :PENDING_SHOWN
        ]
    )
    exempt = list(
        responses_for(user)
        .filter(survey=survey, status=SurveyResponse.Status.EXEMPT)
        .order_by("agency__path", "id")
    )
    return render(
        request,
        "activities/surveys/detail.html",
        {
            "survey": survey,
            "agencies": survey.agencies.all(),
            "questions": questions,
            "overall": overall,
            "groups": groups,
            "pending": pending,
            "pending_more": max(overall.pending - len(pending), 0),
            "exempt": exempt,
            "aggregates": survey_aggregates(survey, questions)
            if survey.status != Survey.Status.DRAFT
            else [],
            "can_manage": can_manage,
            "question_form": (question_form or QuestionForm())
            if can_manage and survey.status == Survey.Status.DRAFT
            else None,
            "exempt_form": (exempt_form or ExemptForm())
            if can_manage and survey.status == Survey.Status.OPEN
            else None,
            "active_menu": MENU,
        },
        status=status,
    )


def _export(request, survey):
    questions = list(survey.questions.all())
    responses = (
        responses_for(request.user)
        .filter(survey=survey)
        .select_related("person", "vendor_staff__vendor", "agency", "parent__person")
        .prefetch_related(Prefetch("answers", queryset=SurveyAnswer.objects.all()))
        .order_by("agency__path", "id")
    )
    columns = [
        Column("agency", _("单位"), width=20),
        Column("name", _("姓名"), width=12),
        Column("kind", _("类别"), width=10),
        Column("relation", _("关系"), width=8),
        Column("phone", _("手机号码"), width=14),
        Column("status", _("状态"), width=10),
        Column("reason", _("免填原因"), width=20),
        Column("answered_at", _("填报时间"), width=18),
        *[Column(f"q{q.pk}", q.text, width=16) for q in questions],
    ]
    rows = []
    for r in responses:
        if r.parent_id:
            name, kind = r.family_name, _("家属")
            owner = r.parent.person
            phone = ""
            relation = f"{owner.name if owner else ''}{r.family_relation}"
        elif r.vendor_staff_id:
            name, kind = r.vendor_staff.name, _("外包人员")
            phone, relation = mask_phone(r.vendor_staff.phone), ""
        else:
            name, kind = r.person.name, _("本人")
            phone, relation = mask_phone(r.person.phone), ""
        agency = (
            r.vendor_staff.vendor.name if r.vendor_staff_id else (r.agency.name if r.agency else "")
        )
        answers = {a.question_id: a.value for a in r.answers.all()}
        rows.append(
            [
                agency,
                name,
                kind,
                relation,
                phone,
                r.get_status_display(),
                r.exempt_reason,
                r.answered_at,
                *[answer_label(q, answers.get(q.pk, "")) for q in questions],
            ]
        )
    record_export(request, "activities.SurveyResponse", rows=len(rows), survey=survey.pk)
    return xlsx_response(build_workbook(_("摸排统计"), columns, rows), survey.title)


@login_required
@permission_required("activities.view_survey", raise_exception=True)
def survey_detail(request, pk):
    survey = _survey(request, pk)
    if request.GET.get("export") == "xlsx":
        return _export(request, survey)
    return _detail(request, survey)


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def question_create(request, pk):
    survey = _survey(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question_add(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加问题。"))
            return redirect("activities:survey_detail", pk=survey.pk)
    return _detail(request, survey, question_form=form, status=422)


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def question_remove(request, pk, question_pk):
    survey = _survey(request, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    try:
        question_delete(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除问题。"))
    return redirect("activities:survey_detail", pk=survey.pk)


def _action(request, pk, service, done):
    survey = _survey(request, pk)
    try:
        result = service(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(result))
    return redirect("activities:survey_detail", pk=survey.pk)


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def survey_open_view(request, pk):
    return _action(request, pk, survey_open, lambda n: _("已发布，共 %(n)s 人需填报。") % {"n": n})


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def survey_close_view(request, pk):
    return _action(request, pk, survey_close, lambda s: _("摸排已结束。"))


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def survey_remind_view(request, pk):
    return _action(
        request,
        pk,
        survey_remind,
        lambda n: (
            _("已提醒 %(n)s 人。") % {"n": n}
            if n
            else _("没有需要提醒的人员（今天已提醒过，或未填报人员没有登录账号）。")
        ),
    )


@login_required
@permission_required("activities.change_survey", raise_exception=True)
@require_POST
def response_exempt_view(request, pk):
    survey = _survey(request, pk)
    form = ExemptForm(request.POST)
    if form.is_valid():
        response = get_object_or_404(
            responses_for(request.user).filter(survey=survey, parent__isnull=True),
            pk=form.cleaned_data["response"],
        )
        try:
            response_exempt(
                actor=request.user, response=response, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已将 %(n)s 设为免于填报。") % {"n": _subject(response)})
            return redirect("activities:survey_detail", pk=survey.pk)
    return _detail(request, survey, exempt_form=form, status=422)


def _subject(response):
    if response.vendor_staff_id:
        return response.vendor_staff.name
    return response.person.name if response.person_id else response.family_name


@login_required
def my_surveys(request):
    """Phone page: the user's pending and done survey sheets."""
    rows = list(my_responses(request.user).order_by("-survey__deadline", "-id"))
    pending = [
        r
        for r in rows
        if r.status == SurveyResponse.Status.PENDING and r.survey.status == Survey.Status.OPEN
    ]
    done = [r for r in rows if r not in pending]
    return render(
        request,
        "activities/surveys/my_surveys.html",
        {"pending": pending, "done": done, "today": timezone.localdate()},
    )


@login_required
def survey_answer(request, pk):
    """Phone form of one sheet: the person themselves, or a survey manager for anyone."""
    response = get_object_or_404(answerable_responses(request.user), pk=pk)
    survey = response.survey
    questions = list(survey.questions.all())
    existing = response.family.count() if survey.allow_family else 0
    slots = min(max(existing + 1, 2), MAX_FAMILY) if survey.allow_family else 0
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        family_slots=slots,
        response=response,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                response_submit(
                    actor=request.user,
                    response=response,
                    answers=form.answers(),
                    family=form.family(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已提交，谢谢！"))
                if response.person and response.person.user_id == request.user.pk:
                    return redirect("activities:my_surveys")
                return redirect("activities:survey_detail", pk=survey.pk)
        status = 422
    return render(
        request,
        "activities/surveys/answer.html",
        {
            "response": response,
            "survey": survey,
            "form": form,
            "subject": _subject(response),
            "editable": survey.status == Survey.Status.OPEN
            and response.status != SurveyResponse.Status.EXEMPT,
        },
        status=status,
    )


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/new/", survey_create_view, name="survey_create"),
    path("surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/new/", question_create, name="question_create"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        question_remove,
        name="question_delete",
    ),
    path("surveys/<int:pk>/open/", survey_open_view, name="survey_open"),
    path("surveys/<int:pk>/close/", survey_close_view, name="survey_close"),
    path("surveys/<int:pk>/remind/", survey_remind_view, name="survey_remind"),
    path("surveys/<int:pk>/exempt/", response_exempt_view, name="response_exempt"),
    path("my/", my_surveys, name="my_surveys"),
    path("answer/<int:pk>/", survey_answer, name="survey_answer"),
]
