"""Who may act on org objects; every object fetch goes through here (404 if not visible)."""

from django.shortcuts import get_object_or_404

from .selectors import accounts_for, org_units_for, people_for


def get_person_for_user(user, pk):
    return get_object_or_404(people_for(user), pk=pk)


def get_org_unit_for_user(user, pk):
    return get_object_or_404(org_units_for(user), pk=pk)


def get_account_for_user(user, pk):
    return get_object_or_404(accounts_for(user), pk=pk)


def can_view_sensitive(user) -> bool:
    return user.has_perm("org.view_person_sensitive")
