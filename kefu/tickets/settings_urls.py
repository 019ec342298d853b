"""The settings pages of the tickets app (statuses, priorities, ticket types, ticket numbers), mounted
under ``settings/`` next to the organisation's settings; kept out of ``urls.py`` so that their names stay
un-namespaced like the others."""

from django.urls import path

from kefu.tickets.views import numbering, settings

urlpatterns = [
    path("statuses/", settings.statuses, name="settings-statuses"),
    path("statuses/<int:status_id>/", settings.status_edit, name="settings-status-edit"),
    path("priorities/", settings.priorities, name="settings-priorities"),
    path("priorities/<int:priority_id>/", settings.priority_edit, name="settings-priority-edit"),
    path("ticket-types/", settings.ticket_types, name="settings-types"),
    path("ticket-types/<int:type_id>/", settings.ticket_type_edit, name="settings-type-edit"),
    path("ticket-number/", numbering.ticket_number, name="settings-ticket-number"),
    path("ticket-number/preview/", numbering.ticket_number_preview, name="settings-ticket-number-preview"),
]
