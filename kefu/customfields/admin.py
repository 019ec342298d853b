from django.contrib import admin

from kefu.customfields.models import CustomField
from kefu.org.admin import ReadOnlyAdmin


@admin.register(CustomField)
class CustomFieldAdmin(ReadOnlyAdmin):
    list_display = ["module", "key", "name", "field_type", "is_required", "is_active"]
    list_filter = ["module", "field_type"]
