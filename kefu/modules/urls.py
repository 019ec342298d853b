"""Console pages of custom modules, mounted under ``modules/``."""

from django.urls import path

from kefu.modules.views import records, ticket

app_name = "modules"

urlpatterns = [
    path("", records.module_index, name="index"),
    path("ticket/<int:ticket_id>/", ticket.ticket_panel, name="ticket-panel"),
    path("ticket/<int:ticket_id>/set/", ticket.ticket_record_set, name="ticket-set"),
    path("<slug:key>/", records.record_list_view, name="list"),
    path("<slug:key>/new/", records.record_create, name="create"),
    path("<slug:key>/views/", records.saved_view_save, name="view-save"),
    path("<slug:key>/views/<int:view_id>/delete/", records.saved_view_delete, name="view-delete"),
    path("<slug:key>/<int:record_id>/", records.record_detail, name="detail"),
    path("<slug:key>/<int:record_id>/edit/", records.record_edit, name="edit"),
    path("<slug:key>/<int:record_id>/delete/", records.record_delete, name="delete"),
]
