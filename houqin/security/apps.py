from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "houqin.security"
    label = "security"
    verbose_name = _("安保消防")

    def ready(self):
        from . import registration

        registration.register()
