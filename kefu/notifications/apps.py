from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kefu.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.channels.email.outbound import register_reply_shaper
        from kefu.core.events import register_consumer
        from kefu.notifications import actions
        from kefu.notifications.services.dispatch import CONSUMER, EVENT_TYPES, on_ticket_events
        from kefu.notifications.services.reply_email import shape_reply

        register_consumer(CONSUMER, EVENT_TYPES, on_ticket_events)
        register_reply_shaper(shape_reply)
        actions.register()
