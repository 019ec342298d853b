"""Settings → Ticket numbers: the format new tickets are numbered with, its tokens and a live preview."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.actors import Source
from kefu.core.errors import ValidationFailed
from kefu.org import permissions
from kefu.org.decorators import agent_required
from kefu.org.views.common import actor_of, form_page, posted
from kefu.tickets.forms import TicketNumberForm
from kefu.tickets.services.numbering import (
    current_format,
    preview_number,
    ticket_number_format_update,
    token_examples,
)

MANAGE = permissions.SETTINGS_MANAGE

# (what to type, what it stands for, the token whose sample value is shown)
TOKEN_ROWS = (
    ("{DEPT}", gettext_lazy("The department's code, in capitals"), "{DEPT}"),
    ("{PRIORITY}", gettext_lazy("The priority's English name (else its name), in capitals"), "{PRIORITY}"),
    (
        "{CHANNEL}",
        gettext_lazy("The channel the ticket came through (EMAIL, WEB, API, PORTAL…)"),
        "{CHANNEL}",
    ),
    ("{TYPE}", gettext_lazy("The ticket type's English name (else its name), in capitals"), "{TYPE}"),
    ("{YYYY}", gettext_lazy("Year of creation, four digits"), "{YYYY}"),
    ("{YY}", gettext_lazy("Year of creation, two digits"), "{YY}"),
    ("{MM}", gettext_lazy("Month of creation, two digits"), "{MM}"),
    ("{DD}", gettext_lazy("Day of creation, two digits"), "{DD}"),
    (
        "{SEQ} {SEQ:n}",
        gettext_lazy("The help desk's sequence (every ticket), padded with zeros to n digits"),
        "{SEQ:5}",
    ),
    (
        "{DEPTSEQ} {DEPTSEQ:n}",
        gettext_lazy("The department's own sequence, padded with zeros to n digits; use it with {DEPT}"),
        "{DEPTSEQ:5}",
    ),
)


def _preview(format_: str) -> dict[str, Any]:
    """The preview of ``format_``, or why it cannot be used (the service's words)."""
    try:
        return {"preview": preview_number(format_), "preview_error": None}
    except ValidationFailed as exc:
        return {"preview": None, "preview_error": exc.fields.get("format", exc.message)}


@agent_required(MANAGE)
def ticket_number(request: HttpRequest) -> HttpResponse:
    form = TicketNumberForm(
        posted(request),
        initial={"format": current_format()},
        preview_url=reverse("settings-ticket-number-preview"),
    )

    def submit(data: dict[str, Any]) -> None:
        ticket_number_format_update(actor=actor_of(request), source=Source.WEB, number_format=data["format"])

    def context() -> dict[str, Any]:
        examples = token_examples()
        shown = form.data.get("format") if form.is_bound else None
        return {
            "title": _("Ticket numbers"),
            "tokens": [(syntax, meaning, examples[token]) for syntax, meaning, token in TOKEN_ROWS],
            **_preview(shown if shown is not None else current_format()),
        }

    return form_page(
        request,
        form=form,
        submit=submit,
        success_message=_("The ticket number format was saved."),
        success_url=reverse("settings-ticket-number"),
        template="tickets/settings/ticket_number.html",
        context=context,
        nav="ticket-number",
    )


@agent_required(MANAGE)
def ticket_number_preview(request: HttpRequest) -> HttpResponse:
    """The preview box for the format being typed (HTMX, on every pause in typing)."""
    return render(
        request,
        "tickets/settings/partials/ticket_number_preview.html",
        _preview(request.GET.get("format", "")),
    )
