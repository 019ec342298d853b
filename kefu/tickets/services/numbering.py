"""Allocating ticket numbers, and the ticket number format that turns them into what people see.

Two numbers per ticket: ``number``, the global gap-free sequence (never changes, every old link and
``[#42]`` tag keeps finding the ticket), and ``display_number``, rendered once at creation from the
installation's format (``AS-{YYYY}{MM}{DD}-{SEQ:5}`` → ``AS-20261122-00042``). Both counters are
claimed with an ``UPDATE … RETURNING`` inside the creating transaction: the row lock serialises
concurrent creators on PostgreSQL (SQLite serialises every writer), and a rolled-back creation rolls the
counter back too, so both sequences stay gap-free and unique.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.catalog_cache import cached, catalog_changed
from kefu.core.errors import ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import helpdesk_settings
from kefu.org.services import require_permission
from kefu.tickets.models import DepartmentTicketSequence, Ticket, TicketNumberFormat, TicketNumberSequence

DEFAULT_FORMAT = "{SEQ}"
MAX_FORMAT = 100
MAX_NUMBER = 64
MAX_PADDING = 12
# Every token, with what it stands for (documented in docs/customisation.md and the settings page).
TOKENS = ("DEPT", "PRIORITY", "CHANNEL", "TYPE", "YYYY", "YY", "MM", "DD", "SEQ", "DEPTSEQ")
_TOKEN = re.compile(r"\{([A-Z]+)(?::(\d+))?\}")
# What may stand between tokens: nothing that breaks a subject tag ([#…]), a URL or a search.
_LITERAL = re.compile(r"^[A-Za-z0-9\-_./#]*$")
_CLEAN_VALUE = re.compile(r"[^\w\-]+")


def next_ticket_number() -> int:
    """Take the next global number inside the caller's transaction (see ``TicketNumberSequence``).

    One ``UPDATE … RETURNING`` both locks the counter row until commit and reads the new value, so the
    hot path of ticket creation pays a single round trip for it.
    """
    table = connection.ops.quote_name(TicketNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value")
        row = cursor.fetchone()
    if row is None:
        TicketNumberSequence.objects.create(pk=1, last_value=1)
        return 1
    return int(row[0])


def next_department_number(department_id: int) -> int:
    """Take the department's next number inside the caller's transaction (``{DEPTSEQ:n}``).

    The row is created on first use with ``INSERT … ON CONFLICT DO NOTHING`` (a concurrent first use
    waits for the other's commit and then finds the row), then claimed like the global counter.
    """
    table = connection.ops.quote_name(DepartmentTicketSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (department_id, last_value) VALUES (%s, 0) ON CONFLICT DO NOTHING",
            [department_id],
        )
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1 WHERE department_id = %s RETURNING last_value",
            [department_id],
        )
        row = cursor.fetchone()
    return int(row[0])


# --- the format -------------------------------------------------------------------------------------


def current_format() -> str:
    """The installation's format, from the per-process catalogue cache (every create reads it)."""
    return cached("tickets.number_format", _load_format)


def _load_format() -> str:
    row = TicketNumberFormat.objects.filter(pk=1).first()
    return row.format if row else DEFAULT_FORMAT


def check_format(value: Any) -> str:
    """The format stripped, or ``ValidationFailed`` naming ``format`` with the reason.

    A format must hold ``{SEQ}`` (unique on its own) or ``{DEPTSEQ}`` with ``{DEPT}`` (unique per
    department), so that no two tickets can ever get the same number.
    """
    if not isinstance(value, str) or not value.strip():
        return _refuse(_("This field is required."))
    value = value.strip()
    if len(value) > MAX_FORMAT:
        return _refuse(_("Enter at most %(limit)d characters.") % {"limit": MAX_FORMAT})
    tokens = []
    for match in _TOKEN.finditer(value):
        name, padding = match.group(1), match.group(2)
        if name not in TOKENS:
            return _refuse(_("Unknown token {%(name)s}.") % {"name": name})
        if padding is not None and (name not in ("SEQ", "DEPTSEQ") or not 1 <= int(padding) <= MAX_PADDING):
            return _refuse(
                _("Only {SEQ:n} and {DEPTSEQ:n} take a width, from 1 to %(max)d.") % {"max": MAX_PADDING}
            )
        tokens.append(name)
    if not _LITERAL.match(_TOKEN.sub("", value)):
        return _refuse(_("Between tokens use letters, digits and - _ . / # only."))
    if "SEQ" not in tokens and not ("DEPTSEQ" in tokens and "DEPT" in tokens):
        return _refuse(
            _("Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique.")
        )
    return value


def _refuse(reason: str) -> str:
    raise ValidationFailed(_("The ticket number format is not valid."), fields={"format": reason})


@dataclass(frozen=True)
class NumberParts:
    """What a number is made of: the ticket's attributes at creation and its sequence numbers."""

    number: int
    department_number: int | None
    department_code: str
    priority: str
    channel: str
    ticket_type: str
    created_at: dt.datetime


def _token_text(value: str) -> str:
    """A name as a token value: upper-case, without spaces or punctuation that would break a tag."""
    return _CLEAN_VALUE.sub("", value).upper()


def render_number(format_: str, parts: NumberParts, zone: dt.tzinfo) -> str:
    """``format_`` with its tokens replaced; dates are the creation day in the help desk's zone."""
    local = parts.created_at.astimezone(zone)

    def value(match: re.Match[str]) -> str:
        name, padding = match.group(1), match.group(2)
        width = int(padding) if padding else 0
        values = {
            "DEPT": _token_text(parts.department_code),
            "PRIORITY": _token_text(parts.priority),
            "CHANNEL": _token_text(parts.channel),
            "TYPE": _token_text(parts.ticket_type),
            "YYYY": f"{local.year:04d}",
            "YY": f"{local.year % 100:02d}",
            "MM": f"{local.month:02d}",
            "DD": f"{local.day:02d}",
            "SEQ": str(parts.number).zfill(width),
            "DEPTSEQ": str(parts.department_number or 0).zfill(width),
        }
        return values[name]

    return _TOKEN.sub(value, format_)[:MAX_NUMBER]


def _zone() -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(helpdesk_settings().time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _name(row: Any) -> str:
    return (getattr(row, "name_en", "") or getattr(row, "name", "")) if row is not None else ""


def number_ticket(ticket: Ticket) -> None:
    """Give an unsaved ``ticket`` its ``number`` and ``display_number``, inside the creating transaction.

    With the default format the display number is the number itself; with any other, a number that an
    older format already produced (possible only after a format change) gets ``-<number>`` appended,
    so creation never fails on it.
    """
    ticket.number = next_ticket_number()
    format_ = current_format()
    if format_ == DEFAULT_FORMAT:
        ticket.display_number = str(ticket.number)
        return
    department_number = next_department_number(ticket.department_id) if "{DEPTSEQ" in format_ else None
    parts = NumberParts(
        number=ticket.number,
        department_number=department_number,
        department_code=ticket.department.code,
        priority=_name(ticket.priority),
        channel=ticket.channel,
        ticket_type=_name(getattr(ticket, "type", None)),
        created_at=ticket.created_at or timezone.now(),
    )
    shown = render_number(format_, parts, _zone())
    if Ticket.objects.filter(display_number=shown).exists():
        shown = f"{shown[: MAX_NUMBER - 21]}-{ticket.number}"
    ticket.display_number = shown


def _sample_parts(now: dt.datetime | None) -> NumberParts:
    """The next global number with sample attributes: department AS, priority High, channel email,
    type Question, department sequence 1, today (the settings page's preview and token list)."""
    last = TicketNumberSequence.objects.filter(pk=1).values_list("last_value", flat=True).first() or 0
    return NumberParts(
        number=last + 1,
        department_number=1,
        department_code="AS",
        priority="High",
        channel="email",
        ticket_type="Question",
        created_at=now or timezone.now(),
    )


def preview_number(format_: str, *, now: dt.datetime | None = None) -> str:
    """What the next ticket would be numbered, with sample values (the settings page's preview)."""
    format_ = check_format(format_)
    return render_number(format_, _sample_parts(now), _zone())


def token_examples(*, now: dt.datetime | None = None) -> dict[str, str]:
    """Each token (``{SEQ:5}`` for the padded sequences) with what it gives for the sample values."""
    parts, zone = _sample_parts(now), _zone()
    shown = [f"{{{name}:5}}" if name in ("SEQ", "DEPTSEQ") else f"{{{name}}}" for name in TOKENS]
    return {token: render_number(token, parts, zone) for token in shown}


def ticket_number_format_update(*, actor: Actor, source: Source, number_format: str) -> TicketNumberFormat:
    """Set the format for tickets created from now on; existing tickets keep their numbers."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    cleaned = check_format(number_format)
    with transaction.atomic():
        row, _created = TicketNumberFormat.objects.select_for_update().get_or_create(pk=1)
        before = row.format
        if before == cleaned:
            return row
        row.format = cleaned
        row.save()
        catalog_changed()
        audit_record(
            actor=actor,
            source=source,
            action="ticket_number_format.updated",
            obj=row,
            changes={"format": [before, cleaned]},
        )
    return row
