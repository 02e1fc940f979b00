from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyConfig(AppConfig):
    name = "houqin.energy"
    label = "energy"
    verbose_name = _("节能")

    def ready(self):
        from . import registration

        registration.register()
