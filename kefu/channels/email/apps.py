from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "kefu.channels.email"
    label = "mail"
    verbose_name = _("Email channel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.channels.email.autoack import on_tickets_opened
        from kefu.channels.email.models import Mailbox
        from kefu.channels.email.outbound import on_tickets_replied
        from kefu.core.catalog_cache import catalog_changed
        from kefu.core.event_types import EventType
        from kefu.core.events import register_consumer

        register_consumer("mail.outbound", [EventType.TICKET_REPLIED], on_tickets_replied)
        register_consumer("mail.autoack", [EventType.MAIL_TICKET_OPENED], on_tickets_opened)
        # Cache invalidation only: intake keeps the list of our addresses per process (see intake.process).
        post_save.connect(catalog_changed, sender=Mailbox, dispatch_uid="catalog.Mailbox.save")
        post_delete.connect(catalog_changed, sender=Mailbox, dispatch_uid="catalog.Mailbox.delete")
