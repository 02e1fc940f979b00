from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FleetConfig(AppConfig):
    name = "houqin.fleet"
    label = "fleet"
    verbose_name = _("公车")

    def ready(self):
        from . import registration

        registration.register()
