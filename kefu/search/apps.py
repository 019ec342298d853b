from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kefu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from kefu.search.subscribers import register

        register()

        # The ticket filters (list, API, saved views) match text through the search backends.
        from kefu.search.selectors import filter_tickets_by_text, relevance_page
        from kefu.tickets.selectors import register_text_ranking, register_text_search

        register_text_search(filter_tickets_by_text)
        register_text_ranking(relevance_page)
