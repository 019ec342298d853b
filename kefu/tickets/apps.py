from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "kefu.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.contacts import hooks as contact_hooks
        from kefu.core.catalog_cache import catalog_changed
        from kefu.tickets import selectors, services, subscribers
        from kefu.tickets.models import Priority, Status, TicketType

        # The contact pages list and count tickets, and a merge moves them, without contacts importing us.
        contact_hooks.register_ticket_reads(
            contact_hooks.TicketReads(
                open_count=selectors.open_ticket_count,
                of_contact=selectors.contact_tickets,
                of_account=selectors.account_tickets,
            )
        )
        contact_hooks.register_merge_hook("tickets", services.tickets_reassign_contact)
        # Files of tickets purged from the trash leave storage after the purge commits.
        subscribers.register()

        # Layouts (kept by the custom-fields app) place the ticket's own fields; our services enforce them.
        from kefu.customfields.layouts import register_builtin_choices, register_builtin_fields
        from kefu.tickets.services.layout_check import (
            MODULE,
            builtin_layout_choices,
            builtin_layout_fields,
        )

        register_builtin_fields(MODULE, builtin_layout_fields)
        register_builtin_choices(MODULE, builtin_layout_choices)

        # Cache invalidation only: any write to these tables, by any path, makes processes reload them.
        for model in (Status, Priority, TicketType):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.save")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.delete"
            )
