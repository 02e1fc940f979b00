# ruff: noqa: F811  (fixtures imported from fixtures_events are used as parameters)
"""Pages of incidents, contingency plans and trainings/drills: create/edit/close through the
forms, errors shown (422, nothing written), scoping (center B → 404), permissions (guard may
log incidents but not plans/drills → 403; staff → 403), exports audited, escaping, constant
queries on the lists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.models import AuditEvent
from houqin.core.xlsx import XLSX_CONTENT_TYPE
from houqin.org.tests.factories import PersonFactory
from houqin.security.models import ContingencyPlan, Drill, Incident
from houqin.security.services import events as svc

from .fixtures_events import TODAY, clock, leader_a, local, make_booking, make_room  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def url(name, *args):
    return reverse(f"security:{name}", args=args)


def make_incident(actor, **kw):
    data = {
        "occurred_at": local(2026, 8, 14, 20),
        "place": "地下车库",
        "kind": Incident.Kind.FIRE,
        "description": "电动车充电冒烟",
    }
    data.update(kw)
    return svc.incident_create(actor=actor, center=actor.center_id, **data)


def make_plan(actor, **kw):
    data = {
        "title": "国庆安保预案",
        "event_start": local(2026, 10, 1, 8),
        "event_end": local(2026, 10, 7, 18),
        "measures": "24 小时值守",
        "responsible": actor,
    }
    data.update(kw)
    return svc.contingency_plan_create(actor=actor, center=actor.center_id, **data)


def make_drill(actor, people, **kw):
    data = {"kind": Drill.Kind.EVACUATION, "title": "全楼疏散演练", "held_on": TODAY}
    data.update(kw)
    return svc.drill_create(
        actor=actor, center=actor.center_id, participants=people, other_participants=3, **data
    )


def queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# ------------------------------------------------------------------ incidents


def test_guard_logs_an_incident_from_the_form(client, guard_a, manager_a):
    client.force_login(guard_a)
    assert client.get(url("incident_create")).status_code == 200
    response = client.post(
        url("incident_create"),
        {
            "occurred_at": "2026-08-15T09:40",
            "kind": "medical",
            "place": "一楼大厅",
            "description": "来访群众晕倒",
            "handling": "拨打 120",
        },
    )
    item = Incident.objects.get()
    assert response.status_code == 302 and response.url == url("incident_detail", item.pk)
    assert item.reported_by == guard_a and item.handling == "拨打 120"
    page = client.get(response.url).content.decode()
    assert "来访群众晕倒" in page
    assert url("incident_edit", item.pk) not in page  # guards do not handle
    assert url("incident_close", item.pk) not in page


def test_incident_errors_show_on_the_form(client, guard_a):
    client.force_login(guard_a)
    response = client.post(
        url("incident_create"),
        {"occurred_at": "2026-08-16T09:00", "kind": "fire", "place": "", "description": "x"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "请填写地点。" in page
    response = client.post(
        url("incident_create"),
        {"occurred_at": "2026-08-16T09:00", "kind": "fire", "place": "东门", "description": "x"},
    )
    assert response.status_code == 422 and "发生时间不能晚于现在" in response.content.decode()
    assert not Incident.objects.exists()


def test_manager_edits_and_closes(client, guard_a, manager_a):
    item = make_incident(guard_a)
    client.force_login(guard_a)
    assert client.get(url("incident_edit", item.pk)).status_code == 403
    assert client.post(url("incident_close", item.pk), {"result": "x"}).status_code == 403

    client.force_login(manager_a)
    page = client.get(url("incident_edit", item.pk)).content.decode()
    assert 'value="2026-08-14T20:00"' in page
    response = client.post(
        url("incident_edit", item.pk),
        {
            "occurred_at": "2026-08-14T20:00",
            "kind": "fire",
            "place": "地下车库",
            "description": "电动车充电冒烟",
            "handling": "灭火器扑灭，断电",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    response = client.post(url("incident_close", item.pk), {"result": ""})
    assert response.status_code == 422 and "请填写处置结果" in response.content.decode()
    response = client.post(
        url("incident_close", item.pk), {"result": "无人员伤亡", "follow_up": "禁止楼内充电"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.handling == "灭火器扑灭，断电"
    assert item.follow_up == "禁止楼内充电"


def test_incident_scoping_and_permissions(client, guard_a, manager_b, guard_b, staff_x):
    item = make_incident(guard_a, place="甲区东门")
    make_incident(guard_b, place="乙区大门")
    client.force_login(guard_a)
    page = client.get(url("incident_list")).content.decode()
    assert "甲区东门" in page and "乙区大门" not in page
    client.force_login(manager_b)
    assert client.get(url("incident_detail", item.pk)).status_code == 404
    assert client.get(url("incident_edit", item.pk)).status_code == 404
    assert client.post(url("incident_close", item.pk), {"result": "x"}).status_code == 404
    client.force_login(staff_x)
    assert client.get(url("incident_list")).status_code == 403
    assert client.get(url("incident_create")).status_code == 403
    assert client.get(url("incident_detail", item.pk)).status_code == 403


def test_incident_list_filters_export_and_escaping(client, guard_a, manager_a):
    make_incident(guard_a, place="<script>x</script>", kind=Incident.Kind.SECURITY)
    make_incident(guard_a, place="配电房", occurred_at=local(2026, 7, 1, 9))
    client.force_login(manager_a)
    page = client.get(url("incident_list")).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    page = client.get(url("incident_list"), {"date_from": "2026-08-01"}).content.decode()
    assert "配电房" not in page and "&lt;script&gt;" in page
    page = client.get(url("incident_list"), {"kind": "fire"}).content.decode()
    assert "配电房" in page and "&lt;script&gt;" not in page
    response = client.get(url("incident_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


def test_incident_list_runs_constant_queries(client, guard_a, manager_a):
    make_incident(guard_a)
    client.force_login(manager_a)
    few = queries(client, url("incident_list"))
    for i in range(5):
        make_incident(manager_a if i % 2 else guard_a, place=f"地点{i}")
    assert queries(client, url("incident_list")) == few


# ------------------------------------------------------------------ contingency plans


def test_plan_create_with_a_major_booking(client, manager_a, leader_a, agency_x, center_a):
    booking = make_booking(make_room(center_a, "人大会议厅"), agency_x, manager_a)
    client.force_login(manager_a)
    page = client.get(url("plan_create")).content.decode()
    assert "区人大常委会会议" in page and "王主任" in page
    response = client.post(
        url("plan_create"),
        {
            "title": "人大会议安保",
            "booking": booking.pk,
            "event_start": "",
            "event_end": "",
            "coordination_meeting_at": "2026-08-28T15:00",
            "responsible": leader_a.pk,
            "status": "draft",
            "measures": "会场清场检查；证件查验",
        },
    )
    plan = ContingencyPlan.objects.get()
    assert response.status_code == 302 and response.url == url("plan_detail", plan.pk)
    assert plan.event_start == booking.starts_at and plan.responsible == leader_a
    page = client.get(response.url).content.decode()
    assert "人大会议厅" in page and "2026-09-01 09:00" in page and "区人大" in page


def test_plan_form_errors(client, manager_a, staff_x):
    client.force_login(manager_a)
    response = client.post(
        url("plan_create"),
        {
            "title": "预案",
            "event_start": "2026-09-02T10:00",
            "event_end": "2026-09-02T09:00",
            "responsible": manager_a.pk,
            "status": "draft",
            "measures": "x",
        },
    )
    assert response.status_code == 422
    assert "活动结束时间必须晚于开始时间" in response.content.decode()
    # Staff are not offered as responsible: the form refuses them.
    response = client.post(
        url("plan_create"),
        {
            "title": "预案",
            "event_start": "2026-09-02T08:00",
            "event_end": "2026-09-02T09:00",
            "responsible": staff_x.pk,
            "status": "draft",
            "measures": "x",
        },
    )
    assert response.status_code == 422
    assert not ContingencyPlan.objects.exists()


def test_plan_edit(client, manager_a):
    plan = make_plan(manager_a)
    client.force_login(manager_a)
    page = client.get(url("plan_edit", plan.pk)).content.decode()
    assert 'value="2026-10-01T08:00"' in page
    response = client.post(
        url("plan_edit", plan.pk),
        {
            "title": "国庆安保预案",
            "event_start": "2026-10-01T08:00",
            "event_end": "2026-10-07T18:00",
            "responsible": manager_a.pk,
            "status": "active",
            "measures": "24 小时值守；增派巡逻",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "active" and "增派巡逻" in plan.measures


def test_plan_permissions_and_scoping(client, manager_a, guard_a, staff_x, manager_b, leader_a):
    plan = make_plan(manager_a, title="<b>预案</b>")
    for user in (guard_a, staff_x):
        client.force_login(user)
        assert client.get(url("plan_list")).status_code == 403
        assert client.get(url("plan_create")).status_code == 403
        assert client.get(url("plan_detail", plan.pk)).status_code == 403
    client.force_login(manager_b)
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    assert client.get(url("plan_edit", plan.pk)).status_code == 404
    client.force_login(leader_a)  # leaders read
    page = client.get(url("plan_list")).content.decode()
    assert "&lt;b&gt;预案&lt;/b&gt;" in page and "<b>预案</b>" not in page
    assert client.get(url("plan_edit", plan.pk)).status_code == 403


def test_plan_list_constant_queries_and_export(client, manager_a, center_a, agency_x):
    room = make_room(center_a)
    make_plan(manager_a)
    client.force_login(manager_a)
    few = queries(client, url("plan_list"))
    for i in range(4):
        booking = make_booking(room, agency_x, manager_a, start=local(2026, 9, 10 + i, 9))
        make_plan(manager_a, title=f"预案{i}", booking=booking)
    assert queries(client, url("plan_list")) == few
    response = client.get(url("plan_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1


# ------------------------------------------------------------------ drills


def test_drill_create_with_participants_by_agency(client, manager_a, staff_x, person_y, agency_y):
    client.force_login(manager_a)
    page = client.get(url("drill_create")).content.decode()
    assert "security/events.js" in page and "data-sec-people-agency" in page
    assert f'data-agency="{agency_y.pk}"' in page and "教育局职工" in page
    response = client.post(
        url("drill_create"),
        {
            "kind": "training",
            "title": "消防知识培训",
            "held_on": "2026-08-14",
            "place": "报告厅",
            "organizer": "区消防救援大队",
            "other_participants": "2",
            "summary": "",
            "participants": [staff_x.person.pk, person_y.pk],
        },
    )
    drill = Drill.objects.get()
    assert response.status_code == 302 and response.url == url("drill_detail", drill.pk)
    assert set(drill.participants.all()) == {staff_x.person, person_y}
    page = client.get(response.url).content.decode()
    assert "甲区教育局" in page and "教育局职工" in page and "甲区财政局" in page


def test_drill_form_errors(client, manager_a, person_b):
    client.force_login(manager_a)
    response = client.post(
        url("drill_create"),
        {"kind": "training", "title": "培训", "held_on": "2026-08-20", "participants": []},
    )
    assert response.status_code == 422 and "日期不能晚于今天" in response.content.decode()
    response = client.post(
        url("drill_create"),
        {
            "kind": "training",
            "title": "培训",
            "held_on": "2026-08-14",
            "participants": [person_b.pk],  # another center's person is not a choice
        },
    )
    assert response.status_code == 422
    assert not Drill.objects.exists()


def test_drill_edit(client, manager_a, staff_x, liaison_x):
    drill = make_drill(manager_a, [staff_x.person])
    client.force_login(manager_a)
    page = client.get(url("drill_edit", drill.pk)).content.decode()
    assert "checked" in page
    response = client.post(
        url("drill_edit", drill.pk),
        {
            "kind": "evacuation",
            "title": "全楼疏散演练",
            "held_on": "2026-08-15",
            "other_participants": "0",
            "participants": [staff_x.person.pk, liaison_x.person.pk],
        },
    )
    assert response.status_code == 302
    assert drill.participants.count() == 2


def test_drill_permissions_and_scoping(client, manager_a, guard_a, staff_x, manager_b, admin_a):
    drill = make_drill(manager_a, [staff_x.person], title="<i>演练</i>")
    for user in (guard_a, staff_x):
        client.force_login(user)
        assert client.get(url("drill_list")).status_code == 403
        assert client.get(url("drill_create")).status_code == 403
        assert client.get(url("drill_detail", drill.pk)).status_code == 403
    client.force_login(manager_b)
    assert client.get(url("drill_detail", drill.pk)).status_code == 404
    assert client.get(url("drill_edit", drill.pk)).status_code == 404
    client.force_login(admin_a)
    page = client.get(url("drill_list")).content.decode()
    assert "&lt;i&gt;演练&lt;/i&gt;" in page and "<i>演练</i>" not in page
    assert client.get(url("drill_create")).status_code == 403


def test_drill_list_counts_constant_queries_and_export(client, manager_a, agency_x):
    people = [PersonFactory(agency=agency_x) for _ in range(3)]
    make_drill(manager_a, people[:2])
    client.force_login(manager_a)
    row = client.get(url("drill_list")).context["table"].rows[0]
    assert (row.get_cell_value("people"), row.get_cell_value("total")) == (2, 5)
    few = queries(client, url("drill_list"))
    for i in range(4):
        make_drill(manager_a, people, title=f"演练{i}", held_on=TODAY - dt.timedelta(days=i))
    assert queries(client, url("drill_list")) == few
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("drill_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert len(ctx.captured_queries) < 20
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    page = client.get(url("drill_list"), {"kind": "training"}).content.decode()
    assert "演练0" not in page
