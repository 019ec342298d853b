from django.contrib import admin

from kefu.org.admin import ReadOnlyAdmin
from kefu.webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["name", "url", "enabled", "disabled_reason", "last_success_at", "last_failure_at"]
    list_filter = ["enabled", "disabled_reason"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "subscription", "event_type", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event_type"]
