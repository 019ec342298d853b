"""Settings → Notifications: rules per department and the zh/en templates; mounted under
``settings/notifications/``.
"""

from django.urls import path

from kefu.notifications import views

app_name = "notification-settings"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:template_id>/", views.template_edit, name="template-edit"),
    path("templates/<int:template_id>/reset/", views.template_reset, name="template-reset"),
    path("templates/<int:template_id>/preview/", views.template_preview, name="template-preview"),
]
