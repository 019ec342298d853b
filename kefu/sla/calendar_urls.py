"""Settings → Business hours: calendars, China's holiday import and the due-date calculator; mounted under
``settings/business-hours/``.
"""

from django.urls import URLPattern

app_name = "business-hours"

urlpatterns: list[URLPattern] = []
