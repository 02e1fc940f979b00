from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpaceConfig(AppConfig):
    name = "houqin.space"
    label = "space"
    verbose_name = _("办公用房")

    def ready(self):
        from . import registration

        registration.register()
