from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kefu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from kefu.core import events
        from kefu.search.subscribers import reindex_ticket_later, ticket_key

        for event in (
            "ticket.created",
            "ticket.updated",
            "ticket.replied",
            "ticket.commented",
            "ticket.message_received",
            "ticket.deleted",
        ):
            events.subscribe(event, reindex_ticket_later, coalesce=ticket_key)

        # The ticket filters (list, API, saved views) match text through the search backends.
        from kefu.search.selectors import filter_tickets_by_text
        from kefu.tickets.selectors import register_text_search

        register_text_search(filter_tickets_by_text)
