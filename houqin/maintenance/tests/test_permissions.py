"""Who sees and does what in maintenance: role grants, scoped selectors, and another center's
or another person's order being a 404 through the API and the pages alike."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from houqin.core.roles import Role
from houqin.maintenance import selectors
from houqin.maintenance.models import Equipment, WorkOrder
from houqin.maintenance.services import work_orders as wo
from houqin.org.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/maintenance/work-orders/"
FIELDS = {"category": "electric", "description": "走廊灯不亮", "building": "A座", "room": "走廊"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people(agency_x, agency_y, agency_b, staff_x, manager_a, tech_a, tech_a2):
    def user(agency, name, *roles):
        return make_user(PersonFactory(agency=agency, name=name), *roles, username=name)

    return {
        "staff_x": staff_x,
        "staff_y": user(agency_y, "staff_y"),
        "manager_a": manager_a,
        "tech_a": tech_a,
        "tech_a2": tech_a2,
        "leader_a": user(agency_x, "leader_a", Role.LEADER),
        "admin_a": user(agency_x, "admin_a2", Role.CENTER_ADMIN),
        "security_a": user(agency_x, "security_a", Role.SECURITY_MANAGER),
        "manager_b": user(agency_b, "manager_b", Role.MAINTENANCE_MANAGER),
        "tech_b": user(agency_b, "tech_b", Role.TECHNICIAN),
        "staff_b": user(agency_b, "staff_b"),
    }


@pytest.fixture
def order(people):
    o = wo.work_order_report(actor=people["staff_x"], **FIELDS)
    return wo.work_order_assign(actor=people["manager_a"], order=o, assignee=people["tech_a"])


def test_role_grants(people):
    assert people["tech_a"].has_perm("maintenance.work_workorder")
    assert people["tech_a"].has_perm("maintenance.view_equipment")
    assert not people["tech_a"].has_perm("maintenance.change_workorder")
    assert people["manager_a"].has_perm("maintenance.change_workorder")
    assert not people["staff_x"].has_perm("maintenance.work_workorder")
    assert not people["staff_x"].has_perm("maintenance.view_equipment")
    assert people["leader_a"].has_perm("maintenance.view_workorder")
    assert not people["leader_a"].has_perm("maintenance.change_workorder")


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff_x", True),  # the reporter
        ("tech_a", True),  # the assignee
        ("manager_a", True),
        ("leader_a", True),
        ("admin_a", True),
        ("staff_y", False),  # another member of staff of the same center
        ("tech_a2", False),  # a technician it is not assigned to
        ("security_a", False),
        ("manager_b", False),  # another center
        ("tech_b", False),
        ("staff_b", False),
    ],
)
def test_who_sees_an_order(people, order, who, sees):
    user = people[who]
    assert selectors.orders_for(user).filter(pk=order.pk).exists() is sees
    assert api(user).get(f"{ORDERS}{order.pk}/").status_code == (200 if sees else 404)
    assert (order.pk in [o["id"] for o in api(user).get(ORDERS).json()["results"]]) is sees


@pytest.mark.parametrize("who", ["staff_y", "tech_a2", "manager_b", "tech_b"])
@pytest.mark.parametrize("action", ["accept", "start", "cancel", "reopen"])
def test_actions_on_an_unseen_order_are_404_and_change_nothing(people, order, who, action):
    r = api(people[who]).post(f"{ORDERS}{order.pk}/{action}/", {"reason": "x"}, format="json")
    assert r.status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.ASSIGNED


@pytest.mark.parametrize("who", ["leader_a", "admin_a", "staff_x"])
def test_viewers_and_the_reporter_may_not_do_the_technicians_work(people, order, who):
    for action in ("accept", "start"):
        assert api(people[who]).post(f"{ORDERS}{order.pk}/{action}/").status_code == 403
    r = api(people[who]).post(
        f"{ORDERS}{order.pk}/materials/", {"name": "灯管", "quantity": 1, "unit_price": 10}
    )
    assert r.status_code == 403
    assert WorkOrder.objects.get(pk=order.pk).accepted_at is None


def test_equipment_lookup_scope(people, center_a, center_b):
    mine = Equipment.objects.create(
        center=center_a, kind="generator", name="发电机", code="FDJ-01", location="发电机房"
    )
    theirs = Equipment.objects.create(
        center=center_b, kind="generator", name="发电机", code="FDJ-01", location="发电机房"
    )
    for who in ("tech_a", "manager_a", "leader_a"):
        assert api(people[who]).get(f"/api/v1/maintenance/equipment/{mine.pk}/").status_code == 200
        r = api(people[who]).get(f"/api/v1/maintenance/equipment/{theirs.pk}/")
        assert r.status_code == 404
    for who in ("staff_x", "security_a"):
        r = api(people[who]).get(f"/api/v1/maintenance/equipment/{mine.pk}/")
        assert r.status_code == 403
    assert list(selectors.equipment_for(people["staff_x"])) == []


def test_pages_of_an_unseen_order_are_404(client, people, order):
    for who in ("staff_y", "tech_a2", "manager_b"):
        client.force_login(people[who])
        assert client.get(f"/maintenance/orders/{order.pk}/").status_code == 404
    client.force_login(people["staff_x"])
    assert client.get(f"/maintenance/orders/{order.pk}/").status_code == 200


def test_a_user_cannot_report_for_another_center(people, center_b):
    with pytest.raises(PermissionDenied):
        wo.work_order_report(actor=people["staff_x"], center=center_b, **FIELDS)
    assert not WorkOrder.objects.filter(center=center_b).exists()
