"""Extension points of the contacts app, filled by the apps that build on contacts.

Tickets depend on contacts (a ticket has a contact), never the other way round. Where a contact page or
service needs tickets — the tickets listed on a contact's or account's page, the open-ticket count on
the contact list, moving tickets during a merge — the tickets app registers the functions here in its
``AppConfig.ready`` and the contacts app calls them without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, QuerySet

if TYPE_CHECKING:
    from kefu.contacts.models import Account, Contact
    from kefu.core.actors import Actor, Source
    from kefu.org.models import User


@dataclass(frozen=True)
class TicketReads:
    """How the contact pages read tickets; every function scopes to what ``user`` may see."""

    open_count: Callable[[User | None, str], Expression]
    """A subquery counting the open tickets of the outer row, whose id the tickets carry in ``outer``."""
    of_contact: Callable[[User | None, Contact], QuerySet[Any]]
    of_account: Callable[[User | None, Account], QuerySet[Any]]


_ticket_reads: TicketReads | None = None
_merge_hooks: dict[str, Callable[..., Any]] = {}


def register_ticket_reads(reads: TicketReads) -> None:
    global _ticket_reads
    _ticket_reads = reads


def ticket_reads() -> TicketReads:
    if _ticket_reads is None:
        raise ImproperlyConfigured("No app registered the contact pages' ticket reads (kefu.tickets).")
    return _ticket_reads


def register_merge_hook(name: str, hook: Callable[..., Any]) -> None:
    """Run ``hook`` on every merge; its result is recorded under ``name`` in the merge's audit entry."""
    _merge_hooks[name] = hook


def run_merge_hooks(
    *, actor: Actor, source: Source, from_contact: Contact, to_contact: Contact
) -> dict[str, Any]:
    return {
        name: hook(actor=actor, source=source, from_contact=from_contact, to_contact=to_contact)
        for name, hook in _merge_hooks.items()
    }
