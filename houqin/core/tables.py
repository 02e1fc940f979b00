import json

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, AuditLogEntry

ACTION_LABELS = {0: _("新增"), 1: _("修改"), 2: _("删除"), 3: _("访问")}


class AuditEntryTable(tables.Table):
    timestamp = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    actor = tables.Column(verbose_name=_("操作人"), default="系统")
    action = tables.Column(verbose_name=_("操作"))
    content_type = tables.Column(verbose_name=_("对象类型"), orderable=False)
    object_repr = tables.Column(verbose_name=_("对象"))
    changes = tables.Column(verbose_name=_("变更字段"), orderable=False)
    remote_addr = tables.Column(verbose_name=_("IP 地址"), default="")

    class Meta:
        model = AuditLogEntry
        fields = (
            "timestamp",
            "actor",
            "action",
            "content_type",
            "object_repr",
            "changes",
            "remote_addr",
        )
        order_by = "-timestamp"

    def render_action(self, record):
        # django-tables2 passes the choice label (English); map the stored integer instead.
        return ACTION_LABELS.get(record.action, record.action)

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model

    def render_changes(self, value):
        if not value:
            return ""
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        # Field name: old → new. Values are escaped by format_html_join.
        return format_html_join(
            "",
            '<div class="small"><code>{}</code>: {} → {}</div>',
            (
                (
                    field,
                    _short(change[0]) if isinstance(change, list) else "",
                    _short(change[1])
                    if isinstance(change, list) and len(change) > 1
                    else _short(change),
                )
                for field, change in value.items()
            ),
        )


def _short(value, limit=60):
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AuditEventTable(tables.Table):
    timestamp = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    kind = tables.Column(verbose_name=_("事件"))
    username = tables.Column(verbose_name=_("用户名"))
    ip = tables.Column(verbose_name=_("IP 地址"), default="")
    detail = tables.Column(verbose_name=_("详情"), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ("timestamp", "kind", "username", "ip", "detail")
        order_by = "-timestamp"

    def render_detail(self, value):
        return "；".join(f"{k}: {v}" for k, v in value.items()) if value else ""
