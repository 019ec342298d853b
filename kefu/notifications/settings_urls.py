"""Settings → Notifications: rules per department and the zh/en templates; mounted under
``settings/notifications/``.
"""

from django.urls import URLPattern

app_name = "notification-settings"

urlpatterns: list[URLPattern] = []
