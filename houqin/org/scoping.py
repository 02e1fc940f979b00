"""The one scoping rule (ARCHITECTURE.md rule 2), used by every selector of every app.

A user sees rows of their own center only; within it, what they see depends on their roles:
  CENTER  every row of the center (managers, leaders, auditors of that module)
  AGENCY  rows of their own agency and its sub-units (department liaisons)
  SELF    only their own rows (any other signed-in staff)
Missing and forbidden rows look the same (selectors return nothing; views give 404).
"""

from dataclasses import dataclass
from enum import IntEnum

from houqin.core.backends import user_roles
from houqin.core.roles import Role


class Scope(IntEnum):
    NONE = 0
    SELF = 1
    AGENCY = 2
    CENTER = 3


@dataclass(frozen=True)
class ScopePolicy:
    center_roles: frozenset[str]
    agency_roles: frozenset[str] = frozenset({Role.LIAISON, Role.AGENCY_LEADER})
    # None: every signed-in user of the center may see their own rows.
    self_roles: frozenset[str] | None = None


def scope_for(user, policy: ScopePolicy) -> Scope:
    if not user.is_authenticated or not user.is_active or user.center_id is None:
        return Scope.NONE
    roles = user_roles(user)
    if roles & policy.center_roles:
        return Scope.CENTER
    if roles & policy.agency_roles and user_agency(user) is not None:
        return Scope.AGENCY
    if policy.self_roles is None or roles & policy.self_roles:
        return Scope.SELF
    return Scope.NONE


def user_person(user):
    try:
        return user.person
    except Exception:  # RelatedObjectDoesNotExist: an account without a person record
        return None


def user_agency(user):
    person = user_person(user)
    return person.agency if person is not None else None


def scope_queryset(qs, user, policy: ScopePolicy, *, center="center", agency=None, owner=None):
    """Filter `qs` to what `user` may see under `policy`.

    center: lookup path to the row's center id ("center", or "" for OrgUnit itself handled
            by the caller); agency: lookup path to an OrgUnit the row belongs to (for AGENCY
            scope); owner: lookup path to the owning User (for SELF scope).
    A scope whose lookup the caller did not give falls back to nothing, never to more.
    """
    scope = scope_for(user, policy)
    if scope == Scope.NONE:
        return qs.none()
    qs = qs.filter(**{center: user.center_id})
    if scope == Scope.CENTER:
        return qs
    if scope == Scope.AGENCY and agency is not None:
        # agency="" means the rows are org units themselves.
        lookup = f"{agency}__path__startswith" if agency else "path__startswith"
        return qs.filter(**{lookup: user_agency(user).path})
    if owner is not None:
        return qs.filter(**{owner: user})
    return qs.none()
