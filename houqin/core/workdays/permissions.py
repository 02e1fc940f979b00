from django.shortcuts import get_object_or_404

from .selectors import holiday_overrides_for


def get_holiday_override_for_user(user, pk):
    return get_object_or_404(holiday_overrides_for(user), pk=pk)
