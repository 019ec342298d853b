"""The module settings pages, mounted under ``settings/modules/``."""

from django.urls import path

from kefu.modules.views import settings

urlpatterns = [
    path("", settings.module_settings, name="settings-modules"),
    path("<slug:key>/", settings.module_edit, name="settings-module-edit"),
    path("<slug:key>/fields/<int:field_id>/", settings.field_edit, name="settings-module-field-edit"),
]
