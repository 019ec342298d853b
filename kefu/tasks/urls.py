"""Console pages of tasks, mounted under ``tasks/``."""

from django.urls import path

from kefu.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.my_tasks_page, name="mine"),
    path("new/", views.my_task_add, name="add"),
    path("ticket/<int:ticket_id>/", views.ticket_card, name="ticket-card"),
    path("ticket/<int:ticket_id>/add/", views.ticket_task_add, name="ticket-add"),
    path("<int:task_id>/toggle/", views.task_toggle, name="toggle"),
    path("<int:task_id>/edit/", views.task_edit, name="edit"),
    path("<int:task_id>/delete/", views.task_delete, name="delete"),
]
