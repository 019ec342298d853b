"""The console's notifications (the bell, the list, an agent's preferences); mounted under
``notifications/``.
"""

from django.urls import URLPattern

app_name = "notifications"

urlpatterns: list[URLPattern] = []
