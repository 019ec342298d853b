"""The console's notifications (the bell, the list, an agent's preferences); mounted under
``notifications/``.
"""

from django.urls import path

from kefu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="read"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
]
