"""Administrators' pages for brands and their help centers, under /settings/help-centers/."""

from django.urls import path

from kefu.portal.views import settings

app_name = "portal-settings"

urlpatterns = [
    path("", settings.brand_list, name="list"),
    path("<int:brand_id>/", settings.brand_edit, name="edit"),
    path("contacts/<int:contact_id>/invite/", settings.contact_invite, name="invite"),
]
