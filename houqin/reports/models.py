"""Per-center texts of the annual summary: each section's template (with the figures as named
placeholders such as {meetings.served}) and the center's own problems and plans."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from houqin.core.models import CenterScopedModel


class SectionTemplate(CenterScopedModel):
    """A center's text for one section (its key from sections.SECTIONS); absent = default."""

    key = models.CharField(_("章节"), max_length=40)
    body = models.TextField(_("模板"), max_length=8000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("总结模板")
        verbose_name_plural = _("总结模板")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["center", "key"], name="reports_template_once"),
        ]

    def __str__(self):
        return self.key
