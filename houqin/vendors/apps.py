from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "houqin.vendors"
    label = "vendors"
    verbose_name = _("外包")

    def ready(self):
        from . import registration

        registration.register()
