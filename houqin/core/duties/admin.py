from django.contrib import admin

from .models import DutyPlan, DutyRecord, DutyTask


@admin.register(DutyPlan)
class DutyPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "center", "category", "rrule", "workdays_only", "is_active")
    list_filter = ("category", "is_active", "center")
    search_fields = ("title", "location_text")
    raw_id_fields = ("manager", "created_by", "assignees")


@admin.register(DutyTask)
class DutyTaskAdmin(admin.ModelAdmin):
    list_display = ("title", "center", "due_at", "late_after", "status")
    list_filter = ("status", "category", "center")
    search_fields = ("title",)
    date_hierarchy = "due_at"
    raw_id_fields = ("plan", "assignees", "created_by")

    def has_add_permission(self, request):
        return False  # tasks come from plans or from modules' services


@admin.register(DutyRecord)
class DutyRecordAdmin(admin.ModelAdmin):
    list_display = ("task", "completed_by", "completed_at", "on_time")
    list_filter = ("on_time", "center")
    raw_id_fields = ("task", "completed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
