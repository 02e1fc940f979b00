"""factory_boy factories for the org app; other apps' tests build on them."""

import factory

from houqin.core.roles import Role
from houqin.org import services
from houqin.org.models import OrgUnit, Person, Rank, RoleAssignment, User

PASSWORD = "Test-pass-2026"


def make_center(name="测试区机关后勤服务中心", code=""):
    return services.center_create(actor=None, name=name, code=code)


def make_unit(parent, name, kind=OrgUnit.Kind.AGENCY, **kwargs):
    return services.org_unit_create(actor=None, parent=parent, kind=kind, name=name, **kwargs)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    center = factory.LazyAttribute(lambda o: o.agency.center)
    name = factory.Sequence(lambda n: f"人员{n}")
    gender = Person.Gender.MALE
    agency = None
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    rank = factory.LazyFunction(lambda: Rank.objects.get(code="below-section"))


def make_user(person, *roles, username=None, must_change=False):
    """A login for `person` holding `roles` (plus staff) in the person's center."""
    user = User.objects.create_user(
        username=username or f"u{person.pk}",
        password=PASSWORD,
        center_id=person.center_id,
        must_change_password=must_change,
    )
    person.user = user
    person.save(update_fields=["user"])
    for role in {*roles, Role.STAFF}:
        RoleAssignment.objects.create(user=user, center_id=person.center_id, role=role)
    return user
