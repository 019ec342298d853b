"""The custom-field settings pages, mounted under ``settings/custom-fields/``."""

from django.urls import path

from kefu.customfields import views

urlpatterns = [
    path("", views.custom_fields, name="settings-custom-fields"),
    path("<int:field_id>/", views.custom_field_edit, name="settings-custom-field-edit"),
    path("<int:field_id>/options/", views.custom_field_options, name="settings-custom-field-options"),
    path(
        "<int:field_id>/options/order/",
        views.custom_field_options_reorder,
        name="settings-custom-field-options-reorder",
    ),
    path(
        "<int:field_id>/options/<int:option_id>/",
        views.custom_field_option_edit,
        name="settings-custom-field-option-edit",
    ),
    path(
        "<int:field_id>/options/<int:option_id>/retire/",
        views.custom_field_option_retire,
        name="settings-custom-field-option-retire",
    ),
]
