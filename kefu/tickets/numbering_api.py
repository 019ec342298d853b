"""``/api/v1/settings/ticket-number``: the ticket number format, with a preview of the next number."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kefu.core.actors import Actor, Source
from kefu.core.api_types import ERRORS, InputSchema, text
from kefu.core.errors import PermissionDenied
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.services.numbering import (
    TOKENS,
    current_format,
    preview_number,
    ticket_number_format_update,
)

router = Router(tags=["settings"])


class TicketNumberOut(Schema):
    format: str = Field(examples=["AS-{YYYY}{MM}{DD}-{SEQ:5}"])
    preview: str = Field(description="What the next ticket would be numbered (sample department, priority…).")
    tokens: list[str] = Field(
        description="The tokens a format may use; {SEQ:n} and {DEPTSEQ:n} take a width."
    )


class TicketNumberIn(InputSchema):
    format: text(100) = Field(examples=["AS-{YYYY}{MM}{DD}-{SEQ:5}"])  # type: ignore[valid-type]


def _out(number_format: str) -> dict[str, Any]:
    return {
        "format": number_format,
        "preview": preview_number(number_format),
        "tokens": [f"{{{t}}}" for t in TOKENS],
    }


def _require_settings(request: HttpRequest) -> None:
    if not agent_access(request.auth).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


@router.get("/ticket-number", response={200: TicketNumberOut, **ERRORS}, summary="The ticket number format")
def get_format(request: HttpRequest) -> dict[str, Any]:
    _require_settings(request)
    return _out(current_format())


@router.patch(
    "/ticket-number", response={200: TicketNumberOut, **ERRORS}, summary="Change the ticket number format"
)
def patch_format(request: HttpRequest, payload: TicketNumberIn) -> dict[str, Any]:
    """New tickets are numbered with the new format; existing tickets keep their numbers."""
    row = ticket_number_format_update(
        actor=Actor.agent(request.auth), source=Source.API, number_format=payload.format
    )
    return _out(row.format)
