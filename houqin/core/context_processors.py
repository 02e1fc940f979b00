from django.conf import settings

from .backends import user_roles
from .menu import menu_for
from .roles import Role


def shell(request):
    """What the base layout needs: the user's menu, center and role names."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"houqin_env": settings.HOUQIN_ENV}
    roles = user_roles(user)
    return {
        "houqin_env": settings.HOUQIN_ENV,
        "menu_groups": menu_for(user),
        "current_center": getattr(user, "center", None),
        "role_labels": [Role(r).label for r in Role.values if r in roles],
    }
