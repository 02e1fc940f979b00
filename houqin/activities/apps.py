from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "houqin.activities"
    label = "activities"
    verbose_name = _("活动与摸排")

    def ready(self):
        from . import registration

        registration.register()
