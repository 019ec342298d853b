from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "kefu.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from kefu.core.events import register_consumer
        from kefu.webhooks import actions  # noqa: F401  (registers the "post a webhook" rule action)
        from kefu.webhooks.consumers import CONSUMER, on_events
        from kefu.webhooks.events import WEBHOOK_EVENTS

        register_consumer(CONSUMER, WEBHOOK_EVENTS, on_events)
