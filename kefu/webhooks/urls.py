"""Settings → Webhooks: subscriptions and their delivery log; mounted under ``settings/webhooks/``."""

from django.urls import URLPattern

app_name = "webhooks"

urlpatterns: list[URLPattern] = []
