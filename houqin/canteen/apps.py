from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteenConfig(AppConfig):
    name = "houqin.canteen"
    label = "canteen"
    verbose_name = _("食堂")

    def ready(self):
        from . import registration

        registration.register()
