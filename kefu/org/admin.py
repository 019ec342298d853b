"""The Django admin. The console's settings pages are the write path for the organisation (services with
audit entries); here superusers only read those records. Users stay editable for emergencies such as a
forgotten password with no other administrator."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kefu.org.models import (
    Agent,
    ApiKey,
    Brand,
    Department,
    HelpdeskSettings,
    Role,
    SignInAttempt,
    Team,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the settings pages own: writes here would skip their checks and the audit log."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "name_en", "code", "is_active"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "department"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["name", "name_en", "key", "is_system"]


@admin.register(Agent)
class AgentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "availability"]


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at"]


@admin.register(HelpdeskSettings)
class HelpdeskSettingsAdmin(ReadOnlyAdmin):
    list_display = ["ticket_number_prefix", "time_zone", "default_language"]


@admin.register(SignInAttempt)
class SignInAttemptAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "email", "ip_address"]
    search_fields = ["email", "ip_address"]
