"""The custom-field settings pages, mounted under ``settings/custom-fields/``."""

from django.urls import path

from kefu.customfields import views

urlpatterns = [
    path("", views.custom_fields, name="settings-custom-fields"),
    path("<int:field_id>/", views.custom_field_edit, name="settings-custom-field-edit"),
]
