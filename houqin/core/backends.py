"""Permissions come from the roles a user holds in their current center."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


def user_roles(user) -> frozenset[str]:
    """Role codes the user holds in their current center (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_houqin_roles", None)
    if cached is None:
        cached = frozenset(
            user.role_assignments.filter(center_id=user.center_id).values_list("role", flat=True)
        )
        user._houqin_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


class RoleBackend(ModelBackend):
    """ModelBackend whose "group" permissions are those of the user's roles in their center.

    Django groups named after role codes carry the permissions (written by
    core.roles.sync_role_groups); membership is per center, so it is read from
    org.RoleAssignment instead of the global user.groups relation.
    """

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(group__name__in=user_roles(user_obj))
