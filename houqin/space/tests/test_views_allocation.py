"""Allocation actions through the pages: allocate, vacate, add an occupant, end and move an
occupancy. Each changes the database through its service; refused input comes back on the
form in Chinese with nothing written; only the center's space managers may act."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from houqin.org.models import Person
from houqin.space.models import Allocation, Occupancy, SpaceRoom, SubUse
from houqin.space.services import allocation as alloc
from houqin.space.services import register

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"space:{name}", args=args)


def today():
    return timezone.localdate()


def iso(day):
    return day.isoformat()


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return manager_a


@pytest.fixture
def held(manager_a, make_room, agency_x):
    """An office for two held by agency X since 30 days ago."""
    room = make_room(area="24", capacity=2, number="301", level=3)
    alloc.allocation_create(
        actor=manager_a, room=room, agency=agency_x, start_date=today() - dt.timedelta(days=30)
    )
    return room


def seat(manager, room, person, days_ago=20):
    return alloc.occupancy_add(
        actor=manager, room=room, person=person, start_date=today() - dt.timedelta(days=days_ago)
    )


# ------------------------------------------------------------------ allocate


def test_allocate_from_the_detail_page(client, manager, make_room, agency_x):
    room = make_room()
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert url("room_allocate", room.pk) in html and "甲区财政局" in html
    assert client.get(url("room_allocate", room.pk)).status_code == 200
    response = client.post(
        url("room_allocate", room.pk),
        {
            "agency": agency_x.pk,
            "start_date": iso(today()),
            "source": "upstream",
            "certificate_no": "甲配字 9 号",
            "certificate_date": iso(today()),
            "note": "新设科室",
        },
    )
    assert response.status_code == 302 and response.url == url("room_detail", room.pk)
    allocation = Allocation.objects.get()
    assert allocation.agency == agency_x and allocation.certificate_no == "甲配字 9 号"
    assert allocation.source == "upstream" and allocation.created_by == manager
    room.refresh_from_db()
    assert room.status == SpaceRoom.Status.OCCUPIED
    html = client.get(url("room_detail", room.pk)).content.decode()
    assert "已将房间" in html and "甲配字 9 号" in html and url("room_vacate", room.pk) in html


def test_allocate_to_the_center_itself(client, manager, make_room, center_a):
    room = make_room()
    data = {"agency": center_a.pk, "start_date": iso(today()), "source": "direct"}
    assert client.post(url("room_allocate", room.pk), data).status_code == 302
    assert Allocation.objects.get().agency == center_a


def test_allocate_bad_input_writes_nothing(client, manager, make_room, agency_x, agency_b):
    room = make_room()
    target = url("room_allocate", room.pk)
    cases = [
        ({"start_date": iso(today()), "source": "direct"}, "请选择使用单位。"),
        ({"agency": agency_b.pk, "start_date": iso(today())}, "请选择本中心的部门/单位。"),
        ({"agency": agency_x.pk, "start_date": "2026-13-01"}, "启用日期格式不正确"),
        ({"agency": agency_x.pk, "source": "direct"}, "请填写启用日期。"),
        (
            {"agency": agency_x.pk, "start_date": iso(today()), "certificate_no": "号" * 51},
            "使用协议/配置证号不能超过 50 个字。",
        ),
    ]
    for data, message in cases:
        response = client.post(target, {"source": "direct", **data})
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    assert not Allocation.objects.exists()
    room.refresh_from_db()
    assert room.status == "idle"


def test_allocate_refused_by_the_service(client, manager, make_room, agency_x, agency_y):
    room = make_room()
    alloc.allocation_create(actor=manager, room=room, agency=agency_y, start_date=today())
    alloc.allocation_vacate(actor=manager, room=room, end_date=today())
    early = today() - dt.timedelta(days=5)
    response = client.post(
        url("room_allocate", room.pk),
        {"agency": agency_x.pk, "start_date": iso(early), "source": "direct"},
    )
    assert response.status_code == 422
    assert "启用日期不能早于此日" in response.content.decode()
    register.room_set_repair(actor=manager, room=room, repair=True)
    response = client.post(
        url("room_allocate", room.pk),
        {"agency": agency_x.pk, "start_date": iso(today()), "source": "direct"},
    )
    assert "正在维修，不能分配" in response.content.decode()
    assert Allocation.objects.count() == 1


def test_allocate_held_room_refused(client, manager, held, agency_y):
    response = client.post(
        url("room_allocate", held.pk),
        {"agency": agency_y.pk, "start_date": iso(today()), "source": "direct"},
    )
    assert "当前由“甲区财政局”使用，请先腾退" in response.content.decode()
    assert Allocation.objects.get().agency.name == "甲区财政局"


# ------------------------------------------------------------------ vacate


def test_vacate_moves_people_out(client, manager, held, agency_x, make_person):
    occupancy = seat(manager, held, make_person(agency_x, name="赵科员"))
    page = client.get(url("room_vacate", held.pk)).content.decode()
    assert "赵科员" in page and "同日迁出" in page and "data-hq-confirm" in page
    html = client.get(url("room_detail", held.pk)).content.decode()
    assert "1 名使用人将同日迁出" in html
    response = client.post(url("room_vacate", held.pk), {"end_date": iso(today())})
    assert response.status_code == 302
    occupancy.refresh_from_db()
    held.refresh_from_db()
    assert occupancy.end_date == today() and held.status == "idle"
    assert Allocation.objects.get().end_date == today()


def test_vacate_bad_input_writes_nothing(client, manager, held, make_room):
    too_early = today() - dt.timedelta(days=31)
    response = client.post(url("room_vacate", held.pk), {"end_date": iso(too_early)})
    assert response.status_code == 422
    assert "腾退日期不能早于启用日期" in response.content.decode()
    response = client.post(url("room_vacate", held.pk), {"end_date": ""})
    assert "请填写腾退日期。" in response.content.decode()
    assert Allocation.objects.get().end_date is None
    idle = make_room()
    response = client.post(url("room_vacate", idle.pk), {"end_date": iso(today())})
    assert "当前未分配，无需腾退" in response.content.decode()


# ------------------------------------------------------------------ occupants


def test_add_occupant(client, manager, held, agency_x, agency_y, make_person):
    clerk = make_person(agency_x, name="钱科员")
    make_person(agency_y, name="教育局某人")
    html = client.get(url("room_detail", held.pk)).content.decode()
    assert url("occupancy_add", held.pk) in html
    assert "钱科员" in html and "教育局某人" not in html  # only the holder's people offered
    response = client.post(
        url("occupancy_add", held.pk), {"person": clerk.pk, "start_date": iso(today())}
    )
    assert response.status_code == 302
    occupancy = Occupancy.objects.get()
    assert occupancy.person == clerk and occupancy.room == held and occupancy.created_by == manager


def test_add_occupant_refused(client, manager, held, agency_x, agency_y, make_person):
    target = url("occupancy_add", held.pk)
    other = make_person(agency_y)
    retired = make_person(agency_x, status=Person.Status.RETIRED, status_date=today())
    for person in (other, retired):
        response = client.post(target, {"person": person.pk, "start_date": iso(today())})
        assert response.status_code == 422
        assert "请选择使用单位的在职人员。" in response.content.decode()
    early = today() - dt.timedelta(days=40)
    clerk = make_person(agency_x)
    response = client.post(target, {"person": clerk.pk, "start_date": iso(early)})
    assert "入住日期不能早于房间分配日期" in response.content.decode()
    assert not Occupancy.objects.exists()
    seat(manager, held, make_person(agency_x))
    seat(manager, held, make_person(agency_x))
    response = client.post(target, {"person": clerk.pk, "start_date": iso(today())})
    assert "核定 2 人，已满" in response.content.decode()
    assert Occupancy.objects.count() == 2


def test_add_occupant_to_unallocated_room(client, manager, make_room, agency_x, make_person):
    room = make_room()
    response = client.post(
        url("occupancy_add", room.pk),
        {"person": make_person(agency_x).pk, "start_date": iso(today())},
        follow=True,
    )
    assert "尚未分配给任何单位，请先分配" in response.content.decode()
    assert not Occupancy.objects.exists()


def test_meeting_room_takes_no_occupants(client, manager, make_room, agency_x, make_person):
    room = make_room(sub_use=SubUse.MEETING)
    alloc.allocation_create(actor=manager, room=room, agency=agency_x)
    assert (
        url("occupancy_add", room.pk)
        not in client.get(url("room_detail", room.pk)).content.decode()
    )
    response = client.post(
        url("occupancy_add", room.pk),
        {"person": make_person(agency_x).pk, "start_date": iso(today())},
    )
    assert "只有办公室用房可以安排使用人" in response.content.decode()
    assert not Occupancy.objects.exists()


def test_end_occupancy(client, manager, held, agency_x, make_person):
    occupancy = seat(manager, held, make_person(agency_x))
    assert client.get(url("occupancy_end", occupancy.pk)).status_code == 200
    too_early = today() - dt.timedelta(days=25)
    response = client.post(url("occupancy_end", occupancy.pk), {"end_date": iso(too_early)})
    assert response.status_code == 422 and "迁出日期不能早于入住日期" in response.content.decode()
    occupancy.refresh_from_db()
    assert occupancy.end_date is None
    response = client.post(url("occupancy_end", occupancy.pk), {"end_date": iso(today())})
    assert response.status_code == 302 and response.url == url("room_detail", held.pk)
    occupancy.refresh_from_db()
    assert occupancy.end_date == today()
    response = client.post(url("occupancy_end", occupancy.pk), {"end_date": iso(today())})
    assert "已迁出该房间" in response.content.decode()


def test_move_occupancy(client, manager, held, make_room, agency_x, agency_y, make_person):
    target = make_room(area="12", number="302", level=3)
    alloc.allocation_create(actor=manager, room=target, agency=agency_x)
    foreign = make_room(number="303", level=3)
    alloc.allocation_create(actor=manager, room=foreign, agency=agency_y)
    occupancy = seat(manager, held, make_person(agency_x, name="孙科员"))
    page = client.get(url("occupancy_move", occupancy.pk)).content.decode()
    assert "302" in page and "303" not in page  # only the agency's other offices
    response = client.post(
        url("occupancy_move", occupancy.pk), {"room": foreign.pk, "date": iso(today())}
    )
    assert response.status_code == 422
    assert "请选择本单位使用中的办公室。" in response.content.decode()
    response = client.post(
        url("occupancy_move", occupancy.pk), {"room": target.pk, "date": iso(today())}
    )
    assert response.status_code == 302 and response.url == url("room_detail", target.pk)
    occupancy.refresh_from_db()
    assert occupancy.end_date == today()
    assert Occupancy.objects.get(end_date__isnull=True).room == target


def test_move_refused_writes_nothing(client, manager, held, make_room, agency_x, make_person):
    target = make_room(number="302", level=3)
    alloc.allocation_create(actor=manager, room=target, agency=agency_x)
    seat(manager, target, make_person(agency_x), days_ago=0)  # the target is full (capacity 1)
    occupancy = seat(manager, held, make_person(agency_x))
    response = client.post(
        url("occupancy_move", occupancy.pk), {"room": target.pk, "date": iso(today())}
    )
    assert response.status_code == 422 and "已满" in response.content.decode()
    occupancy.refresh_from_db()
    assert occupancy.end_date is None  # not moved out of the old room either


# ------------------------------------------------------------------ permissions


def _write_urls(room, occupancy):
    return [
        url("room_allocate", room.pk),
        url("room_vacate", room.pk),
        url("occupancy_add", room.pk),
        url("occupancy_end", occupancy.pk),
        url("occupancy_move", occupancy.pk),
    ]


def test_writes_forbidden_to_liaison_staff_leader(
    client, liaison_x, staff_x, leader_a, manager_a, held, agency_x, make_person
):
    occupancy = seat(manager_a, held, make_person(agency_x))
    for user in (liaison_x, staff_x, leader_a):
        client.force_login(user)
        for target in _write_urls(held, occupancy):
            assert client.get(target).status_code == 403, (user, target)
            data = {"end_date": iso(today()), "agency": agency_x.pk, "date": iso(today())}
            assert client.post(target, data).status_code == 403, (user, target)
    occupancy.refresh_from_db()
    assert occupancy.end_date is None and Allocation.objects.get().end_date is None


def test_other_center_manager_gets_404(client, manager_b, manager_a, held, agency_x, make_person):
    occupancy = seat(manager_a, held, make_person(agency_x))
    client.force_login(manager_b)
    for target in _write_urls(held, occupancy):
        assert client.get(target).status_code == 404, target
        assert client.post(target, {"end_date": iso(today())}).status_code == 404, target
    occupancy.refresh_from_db()
    assert occupancy.end_date is None and Allocation.objects.get().end_date is None


def test_liaison_reads_own_room_without_actions(client, liaison_x, manager_a, held, agency_x):
    client.force_login(liaison_x)
    html = client.get(url("room_detail", held.pk)).content.decode()
    assert response_ok(html)
    for target in (url("room_vacate", held.pk), url("occupancy_add", held.pk)):
        assert target not in html


def response_ok(html):
    return "当前使用单位" in html and "甲区财政局" in html
