"""Console endpoints of time tracking, mounted under ``time/`` (panels the other pages load)."""

from django.urls import path

from kefu.timetracking import views

app_name = "timetracking"

urlpatterns = [
    path("ticket/<int:ticket_id>/", views.ticket_panel, name="ticket-panel"),
    path("ticket/<int:ticket_id>/timer/start/", views.timer_start, name="timer-start"),
    path("ticket/<int:ticket_id>/timer/stop/", views.timer_stop, name="timer-stop"),
    path("ticket/<int:ticket_id>/entries/", views.entry_create, name="entry-create"),
    path("entries/<int:entry_id>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry-delete"),
    path("contact/<int:contact_id>/", views.contact_panel, name="contact-panel"),
    path("account/<int:account_id>/", views.account_panel, name="account-panel"),
]
