"""Scoped reads and the register names offered to other apps."""

import datetime as dt

import pytest

from houqin.maintenance.selectors import location_suggestions
from houqin.space import selectors
from houqin.space.services.allocation import allocation_create, occupancy_add

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)


def test_rooms_scoped_by_role(
    manager_a, manager_b, liaison_x, staff_x, agency_x, agency_y, make_room
):
    ours, theirs, idle = make_room(), make_room(), make_room()
    allocation_create(actor=None, room=ours, agency=agency_x, start_date=START)
    allocation_create(actor=None, room=theirs, agency=agency_y, start_date=START)
    assert set(selectors.rooms_for(manager_a)) == {ours, theirs, idle}
    assert list(selectors.rooms_for(liaison_x)) == [ours]
    assert not selectors.rooms_for(staff_x).exists()
    assert not selectors.rooms_for(manager_b).exists()


def test_repair_report_suggests_my_office_first(staff_x, agency_x, agency_y, make_room):
    other = make_room(number="101")
    mine = make_room(number="305")
    foreign = make_room(number="201")
    for room in (other, mine):
        allocation_create(actor=None, room=room, agency=agency_x, start_date=START)
    allocation_create(actor=None, room=foreign, agency=agency_y, start_date=START)
    occupancy_add(actor=None, room=mine, person=staff_x.person, start_date=START)
    suggestions = location_suggestions(staff_x)
    assert suggestions["room"] == ["305", "101"]
    assert suggestions["building"] == ["行政中心大楼"]
    assert "1F" in suggestions["floor"]


def test_todos_for_space_managers(manager_a, staff_x, admin_a, agency_x, make_room, make_person):
    from houqin.org.models import Person
    from houqin.org.services import person_set_status
    from houqin.space.services import estate
    from houqin.space.todos import space_todos

    room = make_room()
    allocation_create(actor=None, room=room, agency=agency_x, start_date=START)
    leaver = make_person(agency_x, name="调走的人")
    occupancy_add(actor=None, room=room, person=leaver, start_date=START)
    person_set_status(
        actor=admin_a, person=leaver, status=Person.Status.TRANSFERRED, date=dt.date(2026, 9, 1)
    )
    today = dt.date.today()
    estate.lease_create(
        actor=manager_a,
        center=manager_a.center,
        lessor="张三",
        address="解放路 8 号民房",
        area="120",
        annual_rent="36000",
        start_date=today - dt.timedelta(days=300),
        end_date=today + dt.timedelta(days=20),
    )
    count, items = space_todos(manager_a, 10)
    assert count == 2
    titles = " ".join(item.title for item in items)
    assert "收回 调走的人 的办公室" in titles and "解放路 8 号民房" in titles
    assert space_todos(staff_x, 10) == (0, [])


def test_liaison_finds_space_requests_on_the_phone(client, liaison_x, staff_x):
    from django.urls import reverse

    client.force_login(liaison_x)
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("space:request_list") in page and "用房申请" in page
    client.force_login(staff_x)
    assert reverse("space:request_list") not in client.get(reverse("portal:home")).content.decode()
