"""HTMX helpers shared by every app's views (django-htmx sets ``request.htmx``)."""

from __future__ import annotations

from django.http import HttpRequest


def is_partial(request: HttpRequest) -> bool:
    """Whether the request wants a fragment rather than the whole page.

    A boosted link and a history restore (htmx missed its cache after Back) are HTMX requests too, but
    both swap the whole ``<body>``: answering them with a fragment would leave the agent on a bare partial.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not (htmx.boosted or htmx.history_restore_request)
