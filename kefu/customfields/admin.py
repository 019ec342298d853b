from django.contrib import admin

from kefu.customfields.models import CustomField


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ["module", "key", "name", "field_type", "is_required", "is_active"]
    list_filter = ["module", "field_type"]
    filter_horizontal = ["departments"]
