from django.contrib import admin

from kefu.org.admin import ReadOnlyAdmin
from kefu.tickets.models import Priority, Status


@admin.register(Status)
class StatusAdmin(ReadOnlyAdmin):
    list_display = ["name", "name_en", "status_type", "order", "is_default", "is_active"]


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ["name", "name_en", "colour", "order", "is_default", "is_active"]
