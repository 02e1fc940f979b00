from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "houqin.meetings"
    label = "meetings"
    verbose_name = _("会务")

    def ready(self):
        from . import registration

        registration.register()
