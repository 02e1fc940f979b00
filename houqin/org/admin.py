"""Django admin for system operators (superusers): ranks and emergency fixes.

Day-to-day management happens in houqin's own pages, which go through the services.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Person, Rank, User


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    list_display = ("name", "organ_level", "seniority", "is_leadership", "is_active")
    list_filter = ("organ_level", "is_active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "center", "is_active", "is_superuser", "last_login")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("houqin", {"fields": ("center", "must_change_password", "password_changed_at")}),
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "status", "center")
    list_filter = ("status",)
    search_fields = ("name",)
    exclude = ("id_number", "id_number_digest")
    raw_id_fields = ("agency", "section", "user")
