"""The custom-field settings pages, mounted under ``settings/custom-fields/``."""

from django.urls import path

from kefu.customfields import layout_views, views

urlpatterns = [
    path("", views.custom_fields, name="settings-custom-fields"),
    path("layouts/", layout_views.layouts, name="settings-layouts"),
    path("layouts/<str:module>/<str:scope>/", layout_views.layout_edit, name="settings-layout-edit"),
    path(
        "layouts/<str:module>/<str:scope>/remove/", layout_views.layout_remove, name="settings-layout-remove"
    ),
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
