"""Meetings pages: grid, booking create (single and series), actions, rooms and blocks."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.meetings import services
from houqin.meetings.defaults import ensure_services
from houqin.meetings.models import Booking, MeetingService, Room, RoomBlock

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def book(actor, room, start, hours=1, **kw):
    data = {"title": "周例会", "agency": actor.person.agency, "attendees_expected": 10}
    data.update(kw)
    return services.booking_create(
        actor=actor, room=room, starts_at=start, ends_at=start + hours * H, **data
    )


def form_data(room, start, **overrides):
    local = timezone.localtime(start)
    data = {
        "room": room.pk,
        "date": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "end_time": (local + H).strftime("%H:%M"),
        "title": "预算编制工作会",
        "agency": "",
        "attendees_expected": "12",
        "level": "ordinary",
        "major_kind": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


# ------------------------------------------------------------------------------ grid


def test_grid_day_shows_booking_block_and_free_links(
    login, liaison_x, meeting_manager, room, tomorrow
):
    book(liaison_x, room, tomorrow)
    services.room_block_create(
        actor=meeting_manager,
        room=room,
        starts_at=tomorrow + 3 * H,
        ends_at=tomorrow + 4 * H,
        reason="更换话筒",
    )
    client = login(liaison_x)
    response = client.get(reverse("meetings:grid"), {"date": tomorrow.date().isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "财政局 周例会" in html
    assert "停用" in html
    assert room.name in html
    # 09:00–10:00 is busy, 10:00 is free and links to the prefilled form.
    day = tomorrow.date().isoformat()
    free = f"{reverse('meetings:booking_create')}?room={room.pk}&amp;start={day}T10%3A00"
    assert free in html
    assert f"start={tomorrow.date().isoformat()}T09%3A00" not in html
    assert 'colspan="2"' in html  # the 1-hour booking spans two half-hour cells
    assert "style=" not in html and "<script>" not in html


def test_grid_week_and_bad_date(login, liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow, title="周会")
    client = login(liaison_x)
    response = client.get(
        reverse("meetings:grid"), {"view": "week", "date": tomorrow.date().isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "09:00–10:00" in html and "财政局 周会" in html
    assert "上一周" in html and "下一周" in html
    response = client.get(reverse("meetings:grid"), {"date": "2026-13-45"})
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


def test_grid_filters_rooms_and_pages_them(login, liaison_x, center_a, room, auditorium, tomorrow):
    """Building, kind and capacity narrow the rows; a big center gets pages of
    ROOMS_PER_PAGE rooms whose links keep the date, the view and the filters."""
    from houqin.meetings.views.grid import ROOMS_PER_PAGE

    client = login(liaison_x)
    day = tomorrow.date().isoformat()
    url = reverse("meetings:grid")
    html = client.get(url, {"date": day, "kind": "auditorium"}).content.decode()
    assert auditorium.name in html and room.name not in html
    html = client.get(url, {"date": day, "seats": "100"}).content.decode()
    assert auditorium.name in html and room.name not in html
    html = client.get(url, {"date": day, "seats": "301"}).content.decode()
    assert "没有符合筛选条件的会议室" in html
    html = client.get(url, {"date": day, "seats": "很多"}).content.decode()
    assert "容纳人数应为正整数" in html and room.name in html and auditorium.name in html
    html = client.get(url, {"date": day, "kind": "bogus"}).content.decode()
    assert room.name in html and auditorium.name in html

    Room.objects.bulk_create(
        Room(center=center_a, name=f"B{n:02d}室", kind=Room.Kind.SMALL, capacity=8, building="B区")
        for n in range(ROOMS_PER_PAGE + 1)
    )
    html = client.get(url, {"date": day, "building": "B区"}).content.decode()
    assert "B00室" in html and f"B{ROOMS_PER_PAGE:02d}室" not in html  # page 1 of 2
    assert room.name not in html
    assert f"共 {ROOMS_PER_PAGE + 1} 间会议室" in html
    response = client.get(url, {"date": day, "building": "B区", "view": "week", "page": "2"})
    html = response.content.decode()
    assert f"B{ROOMS_PER_PAGE:02d}室" in html and "B00室" not in html
    # The previous-week link keeps building, page and view.
    assert "building=B%E5%8C%BA" in html and "page=2" in html and "view=week" in html
    html = client.get(url, {"date": day, "building": "无此楼"}).content.decode()
    assert room.name in html  # an unknown building is ignored, not an empty grid


# ------------------------------------------------------------------------ create


def test_create_prefilled_from_grid(login, liaison_x, room, tomorrow):
    ensure_services(room.center)
    client = login(liaison_x)
    start = timezone.localtime(tomorrow).strftime("%Y-%m-%dT%H:%M")
    response = client.get(reverse("meetings:booking_create"), {"room": room.pk, "start": start})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["room"] == room.pk
    assert form.initial["start_time"] == dt.time(9, 0)
    assert form.initial["end_time"] == dt.time(10, 0)
    assert form.initial["agency"] == liaison_x.person.agency.pk
    assert "茶水" in response.content.decode()


def test_create_booking_happy_path(login, liaison_x, room, tomorrow):
    ensure_services(room.center)
    tea = MeetingService.objects.get(center=room.center, name="茶水")
    client = login(liaison_x)
    data = form_data(room, tomorrow, agency=liaison_x.person.agency.pk, services=[tea.pk])
    response = client.post(reverse("meetings:booking_create"), data, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain[-1][0] == reverse("meetings:booking_detail", args=[booking.pk])
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.starts_at == tomorrow and booking.ends_at == tomorrow + H
    assert list(booking.services.all()) == [tea]
    assert "预订成功" in response.content.decode()


def test_create_needing_approval_says_pending(
    login, liaison_x, meeting_manager, auditorium, tomorrow
):
    client = login(liaison_x)
    data = form_data(auditorium, tomorrow, agency=liaison_x.person.agency.pk)
    response = client.post(reverse("meetings:booking_create"), data, follow=True)
    assert response.redirect_chain, response.context["form"].errors
    assert Booking.objects.get().status == Booking.Status.PENDING
    html = response.content.decode()
    assert "待会务管理员审批" in html
    assert "查看审批进度" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "请填写会议名称"),
        ({"attendees_expected": "0"}, "attendees_expected", "至少为 1 人"),
        ({"attendees_expected": "abc"}, "attendees_expected", "请填写预计参会人数"),
        ({"date": "2026-02-30"}, "date", "请填写有效的日期"),
        ({"start_time": "25:00"}, "start_time", "请填写有效的开始时间"),
        ({"end_time": "08:30"}, "end_time", "结束时间必须晚于开始时间"),
        ({"start_time": "06:00", "end_time": "07:00"}, "start_time", "开放时间"),
        ({"room": "999999"}, "room", "请选择会议室"),
        ({"agency": ""}, "agency", "请选择主办单位"),
        ({"level": "huge"}, "level", "请选择会议级别"),
        ({"repeat": "FREQ=WEEKLY"}, "until", "请填写重复截止日期"),
    ],
)
def test_create_bad_input_writes_nothing(
    login, liaison_x, room, tomorrow, overrides, field, message
):
    client = login(liaison_x)
    data = form_data(room, tomorrow, agency=liaison_x.person.agency.pk)
    data.update(overrides)
    response = client.post(reverse("meetings:booking_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_create_past_and_taken_slots(login, liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow, title="已有会议")
    client = login(liaison_x)
    data = form_data(room, tomorrow, agency=liaison_x.person.agency.pk)
    response = client.post(reverse("meetings:booking_create"), data)
    assert "该时段已被预订（已有会议" in str(response.context["form"].errors["start_time"])
    past = tomorrow - dt.timedelta(days=3)
    response = client.post(
        reverse("meetings:booking_create"),
        form_data(room, past, agency=liaison_x.person.agency.pk),
    )
    assert "不能预订已经过去的时间" in response.content.decode()
    assert Booking.objects.count() == 1


def test_room_of_other_center_not_offered(login, liaison_x, room, room_b, tomorrow):
    client = login(liaison_x)
    data = form_data(room_b, tomorrow, agency=liaison_x.person.agency.pk)
    response = client.post(reverse("meetings:booking_create"), data)
    assert "room" in response.context["form"].errors
    assert not Booking.objects.exists()


# ------------------------------------------------------------------------ series


def test_series_shows_clashes_then_skips_them(login, liaison_x, room, tomorrow):
    clash = book(liaison_x, room, tomorrow + dt.timedelta(days=7), title="专题会")
    client = login(liaison_x)
    data = form_data(
        room,
        tomorrow,
        agency=liaison_x.person.agency.pk,
        title="每周例会",
        repeat="FREQ=WEEKLY",
        until=(tomorrow + dt.timedelta(days=28)).date().isoformat(),
    )
    response = client.post(reverse("meetings:booking_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已被预订" in html and "跳过冲突的日期" in html
    assert response.context["clashes"]
    assert Booking.objects.count() == 1  # only the clash

    data["skip_conflicts"] = "on"
    response = client.post(reverse("meetings:booking_create"), data, follow=True)
    created = Booking.objects.filter(title="每周例会").order_by("starts_at")
    assert created.count() == 4  # 5 weeks (days 0..28) minus the clash
    assert clash.starts_at not in [b.starts_at for b in created]
    assert "已创建周期预订 4 次，跳过冲突 1 次" in response.content.decode()


def test_cancel_rest_of_series(login, liaison_x, room, tomorrow):
    _series, created, _skipped = services.booking_series_create(
        actor=liaison_x,
        room=room,
        rrule="FREQ=WEEKLY",
        first_start=tomorrow,
        first_end=tomorrow + H,
        until=tomorrow + dt.timedelta(days=22),
        title="每周例会",
        agency=liaison_x.person.agency,
        attendees_expected=8,
    )
    client = login(liaison_x)
    detail = client.get(reverse("meetings:booking_detail", args=[created[1].pk]))
    assert "取消本次及以后各次" in detail.content.decode()
    url = reverse("meetings:booking_cancel_rest", args=[created[1].pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写取消原因" in response.content.decode()
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()
    client.post(url, {"reason": "停开"})
    statuses = [b.status for b in Booking.objects.order_by("starts_at")]
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]


# ------------------------------------------------------------------------ actions


def test_cancel_with_reason(login, liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    client = login(liaison_x)
    url = reverse("meetings:booking_cancel", args=[booking.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "请填写取消原因" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    response = client.post(url, {"reason": "领导临时外出"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancel_reason == "领导临时外出"
    assert "已取消预订" in response.content.decode()
    # Cancelling again: a clear message, nothing changes.
    response = client.post(url, {"reason": "再取消"}, follow=True)
    assert "不能取消" in response.content.decode()


def test_get_on_action_refused(login, liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    client = login(liaison_x)
    assert client.get(reverse("meetings:booking_cancel", args=[booking.pk])).status_code == 405


def test_edit_booking(login, liaison_x, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    client = login(liaison_x)
    url = reverse("meetings:booking_edit", args=[booking.pk])
    response = client.get(url)
    assert response.status_code == 200 and "repeat" not in response.context["form"].fields
    data = form_data(room, tomorrow + 2 * H, agency=liaison_x.person.agency.pk, title="改期例会")
    response = client.post(url, data)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.title == "改期例会" and booking.starts_at == tomorrow + 2 * H
    response = client.post(url, {**data, "attendees_expected": "-3"})
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.attendees_expected == 12


def test_check_in_and_manager_marks_served(login, liaison_x, meeting_manager, room, tomorrow):
    booking = book(liaison_x, room, tomorrow)
    client = login(liaison_x)
    client.post(reverse("meetings:booking_check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert (
        client.post(
            reverse("meetings:booking_served", args=[booking.pk]), {"attendees_actual": "9"}
        ).status_code
        == 403
    )
    client = login(meeting_manager)
    url = reverse("meetings:booking_served", args=[booking.pk])
    response = client.post(url, {"attendees_actual": "x"}, follow=True)
    assert "请填写实到人数" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    sheet = reverse("meetings:service_sheet") + f"?date={tomorrow.date().isoformat()}"
    response = client.post(url, {"attendees_actual": "9", "next": sheet})
    assert response.status_code == 302 and response["Location"] == sheet
    booking.refresh_from_db()
    assert booking.status == Booking.Status.SERVED and booking.attendees_actual == 9
    # Unsafe next is ignored.
    other = book(liaison_x, room, tomorrow + 2 * H)
    response = client.post(
        reverse("meetings:booking_served", args=[other.pk]),
        {"attendees_actual": "5", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("meetings:booking_detail", args=[other.pk])


def test_service_sheet(login, liaison_x, meeting_manager, room, auditorium, tomorrow):
    ensure_services(room.center)
    tea = MeetingService.objects.get(center=room.center, name="茶水")
    book(liaison_x, room, tomorrow + 2 * H, title="普通会", services=[tea])
    major = book(liaison_x, auditorium, tomorrow, title="区人大常委会", level="major")
    from houqin.core.approvals import services as approvals
    from houqin.core.approvals.selectors import approval_for_object

    approvals.approval_approve(
        actor=meeting_manager, approval=approval_for_object(major, "meetings.booking")
    )
    client = login(meeting_manager)
    response = client.get(reverse("meetings:service_sheet"), {"date": tomorrow.date().isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("区人大常委会") < html.index("普通会")  # time order
    assert "hq-row-major" in html and "茶水" in html
    assert reverse("meetings:booking_served", args=[major.pk]) in html


def test_booking_list_and_export(login, liaison_x, room, tomorrow):
    book(liaison_x, room, tomorrow, title="第一会")
    book(liaison_x, room, tomorrow + 2 * H, title="第二会")
    client = login(liaison_x)
    response = client.get(reverse("meetings:booking_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一会" in html and "第二会" in html
    response = client.get(reverse("meetings:booking_list"), {"q": "第二"})
    assert "第一会" not in response.content.decode()
    response = client.get(reverse("meetings:booking_list"), {"status": "cancelled"})
    assert "第一会" not in response.content.decode()
    response = client.get(reverse("meetings:booking_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_booking_list_query_count_constant(login, liaison_x, room, tomorrow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(liaison_x)
    book(liaison_x, room, tomorrow)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("meetings:booking_list"))
    for i in range(1, 8):
        book(liaison_x, room, tomorrow + i * H, title=f"会{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("meetings:booking_list"))
    assert "会7" in response.content.decode()
    assert len(many) == len(one)


# ------------------------------------------------------------------------ rooms


def test_room_create_edit_and_errors(login, meeting_manager):
    client = login(meeting_manager)
    url = reverse("meetings:room_create")
    assert client.get(url).status_code == 200
    data = {
        "name": "五楼小会议室",
        "code": "501",
        "kind": "small",
        "building": "主楼",
        "floor": "5",
        "capacity": "12",
        "equipment": "投影",
        "open_from": "08:00",
        "open_until": "21:00",
        "bookable_by": "staff",
        "max_duration_minutes": "240",
        "auto_release_minutes": "",
        "is_active": "on",
    }
    response = client.post(url, {**data, "capacity": "0"})
    assert response.status_code == 200 and "容纳人数" in response.content.decode()
    response = client.post(url, {**data, "open_until": "07:00"})
    assert "开放结束时间必须晚于开放开始时间" in response.content.decode()
    assert not Room.objects.exists()
    response = client.post(url, data)
    room = Room.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:room_edit", args=[room.pk])
    # Duplicate name: the service's message on the field.
    response = client.post(url, data)
    assert "已有同名会议室" in response.content.decode()
    assert Room.objects.count() == 1
    edit = reverse("meetings:room_edit", args=[room.pk])
    response = client.post(edit, {**data, "capacity": "20", "requires_approval": "on"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.capacity == 20 and room.requires_approval


def test_room_photo_must_be_an_image(login, meeting_manager, room):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(meeting_manager)
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    data = {
        "name": room.name,
        "kind": room.kind,
        "capacity": "30",
        "open_from": "08:00",
        "open_until": "21:00",
        "bookable_by": "staff",
        "max_duration_minutes": "480",
        "is_active": "on",
        "photo": fake,
    }
    response = client.post(reverse("meetings:room_edit", args=[room.pk]), data)
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    room.refresh_from_db()
    assert not room.photo


def test_room_list_filters_and_export(login, meeting_manager, room, auditorium):
    client = login(meeting_manager)
    response = client.get(reverse("meetings:room_list"), {"kind": "auditorium"})
    html = response.content.decode()
    assert "一楼报告厅" in html and "301会议室" not in html
    response = client.get(reverse("meetings:room_list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_block_create_and_delete(login, meeting_manager, liaison_x, room, tomorrow):
    client = login(meeting_manager)
    url = reverse("meetings:room_block_create", args=[room.pk])
    fmt = "%Y-%m-%dT%H:%M"
    start = timezone.localtime(tomorrow)
    response = client.post(
        url, {"starts_at": start.strftime(fmt), "ends_at": start.strftime(fmt), "reason": "维修"}
    )
    assert response.status_code == 200 and "结束时间必须晚于开始时间" in response.content.decode()
    response = client.post(
        url, {"starts_at": start.strftime(fmt), "ends_at": (start + H).strftime(fmt), "reason": ""}
    )
    assert "请填写停用原因" in response.content.decode()
    book(liaison_x, room, tomorrow + 2 * H, title="已订会议")
    response = client.post(
        url,
        {
            "starts_at": start.strftime(fmt),
            "ends_at": (start + 3 * H).strftime(fmt),
            "reason": "维修",
        },
    )
    assert "已订会议" in response.content.decode()
    assert not RoomBlock.objects.exists()
    response = client.post(
        url,
        {
            "starts_at": start.strftime(fmt),
            "ends_at": (start + H).strftime(fmt),
            "reason": "更换音响",
        },
    )
    assert response.status_code == 302
    block = RoomBlock.objects.get()
    assert block.starts_at == tomorrow and block.reason == "更换音响"
    assert "更换音响" in client.get(reverse("meetings:room_edit", args=[room.pk])).content.decode()
    client.post(reverse("meetings:room_block_delete", args=[block.pk]))
    assert not RoomBlock.objects.exists()
