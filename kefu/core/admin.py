from django.contrib import admin

from kefu.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is evidence: administrators read it, nobody edits it."""

    list_display = ["created_at", "actor_name", "source", "action", "object_type", "object_id"]
    list_filter = ["source", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
