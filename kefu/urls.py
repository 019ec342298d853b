"""URL configuration: the API, the health check, the console pages of each app and the Django admin."""

from django.contrib import admin
from django.urls import include, path

from kefu.api import api
from kefu.core.views import healthz, robots
from kefu.portal.views.widget import widget_js

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots),
    path("widget.js", widget_js, name="widget-js"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kefu.automation.routing_urls")),
    path("", include("kefu.automation.urls")),
    path("tickets/", include("kefu.tickets.urls")),
    path("contacts/", include("kefu.contacts.urls")),
    path("search/", include("kefu.search.urls")),
    path("kb/", include("kefu.kb.urls")),
    path("hc/", include("kefu.portal.urls")),
    path("modules/", include("kefu.modules.urls")),
    path("time/", include("kefu.timetracking.urls")),
    path("tasks/", include("kefu.tasks.urls")),
    path("transfer/", include("kefu.transfer.urls")),
    path("notifications/", include("kefu.notifications.urls")),
    path("settings/notifications/", include("kefu.notifications.settings_urls")),
    path("settings/webhooks/", include("kefu.webhooks.urls")),
    path("settings/business-hours/", include("kefu.sla.calendar_urls")),
    path("settings/sla/", include("kefu.sla.urls")),
    path("settings/mail/", include("kefu.channels.email.urls")),
    path("settings/help-centers/", include("kefu.portal.settings_urls")),
    path("settings/custom-fields/", include("kefu.customfields.urls")),
    path("settings/modules/", include("kefu.modules.settings_urls")),
    path("settings/", include("kefu.tickets.settings_urls")),
    path("", include("kefu.org.urls")),
    path("admin/", admin.site.urls),
]

# Branded error pages in the reader's language, with the navigation (never Django's bare English).
handler400 = "kefu.core.views.bad_request"
handler403 = "kefu.core.views.permission_denied"
handler404 = "kefu.core.views.page_not_found"
handler500 = "kefu.core.views.server_error"
