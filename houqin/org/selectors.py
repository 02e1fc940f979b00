"""Reads of the org app, always scoped to what the user may see."""

from django.db.models import Case, Count, OuterRef, Subquery, When
from django.db.models.functions import Coalesce

from houqin.core.roles import ORG_CENTER_ROLES

from .models import OrgUnit, Person, Rank, User
from .scoping import ScopePolicy, scope_queryset

PERSON_POLICY = ScopePolicy(center_roles=ORG_CENTER_ROLES)
ORG_UNIT_POLICY = ScopePolicy(center_roles=ORG_CENTER_ROLES)


def org_units_for(user):
    """Units of the user's center (liaisons: their agency's subtree), in tree order."""
    qs = OrgUnit.objects.exclude(kind=OrgUnit.Kind.CENTER)
    # SELF scope on units means the unit the person works in.
    return scope_queryset(qs, user, ORG_UNIT_POLICY, agency="", owner="people__user").order_by(
        "path"
    )


def org_tree_for(user):
    """Units with their active head-count for the tree page (one query).

    A section counts the people in it; an agency counts the people whose agency it is.
    """
    active = Person.objects.filter(status=Person.Status.ACTIVE).order_by()

    def count_of(field):
        return Coalesce(
            Subquery(
                active.filter(**{field: OuterRef("pk")})
                .values(field)
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )

    return org_units_for(user).annotate(
        people_count=Case(
            When(kind=OrgUnit.Kind.SECTION, then=count_of("section")),
            default=count_of("agency"),
        )
    )


def agencies_for(user):
    return org_units_for(user).filter(kind=OrgUnit.Kind.AGENCY, is_active=True)


def sections_for(user):
    return org_units_for(user).filter(kind=OrgUnit.Kind.SECTION, is_active=True)


def people_for(user):
    qs = Person.objects.select_related("agency", "section", "rank", "user")
    return scope_queryset(qs, user, PERSON_POLICY, agency="agency", owner="user")


def accounts_for(user):
    """Accounts of the user's center (only for those who manage accounts)."""
    if not user.has_perm("org.manage_accounts") or user.center_id is None:
        return User.objects.none()
    return (
        User.objects.filter(center_id=user.center_id)
        .select_related("person", "person__agency")
        .prefetch_related("role_assignments")
        .order_by("username")
    )


def ranks():
    return Rank.objects.filter(is_active=True)
