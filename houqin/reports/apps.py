from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "houqin.reports"
    label = "reports"
    verbose_name = _("报告")

    def ready(self):
        from . import registration

        registration.register()
