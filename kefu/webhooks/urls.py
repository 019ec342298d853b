"""Settings → Webhooks: subscriptions and their delivery log; mounted under ``settings/webhooks/``."""

from django.urls import path

from kefu.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("new/", views.webhook_create, name="create"),
    path("<int:webhook_id>/", views.webhook_detail, name="detail"),
    path("<int:webhook_id>/secret/", views.webhook_secret, name="secret"),
    path("<int:webhook_id>/delete/", views.webhook_delete, name="delete"),
    path("<int:webhook_id>/deliveries/", views.delivery_log, name="deliveries"),
    path(
        "<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
