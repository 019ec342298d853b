"""Settings → Business hours: calendars, China's holiday import and the due-date calculator; mounted under
``settings/business-hours/``.
"""

from django.urls import path

from kefu.sla import calendar_views as views

app_name = "business-hours"

urlpatterns = [
    path("", views.calendar_index, name="list"),
    path("new/", views.calendar_create, name="create"),
    path("<int:calendar_id>/", views.calendar_edit, name="edit"),
    path("<int:calendar_id>/import-cn-holidays/", views.calendar_import, name="import-cn"),
    path("<int:calendar_id>/delete/", views.calendar_delete, name="delete"),
    path("<int:calendar_id>/calculate/", views.calendar_calculate, name="calculate"),
]
