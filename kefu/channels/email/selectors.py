"""Reads of the email channel that pages need: mailboxes, stored messages and their raw source."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from kefu.channels.email.models import InboundMessage, Mailbox
from kefu.core import catalog_cache
from kefu.org.models import Brand

INBOUND_PAGE_SIZE = 50
PROBLEM_STATES = (InboundMessage.State.QUARANTINED, InboundMessage.State.PENDING)


def mailbox_list() -> QuerySet[Mailbox]:
    return Mailbox.objects.select_related("department", "brand").order_by("-is_active", "name", "id")


def _load_mailboxes_by_address() -> dict[str, Mailbox]:
    return {
        mailbox.address.lower(): mailbox
        for mailbox in Mailbox.objects.only(
            "address", "department_id", "brand_id", "reopen_within_days", "is_active", "auto_ack_enabled"
        )
    }


def mailboxes_by_address() -> dict[str, Mailbox]:
    """Every mailbox (what intake routes and acknowledges by) under its lower-cased address.

    Cached per process: intake asks for every message, and saving a mailbox bumps the catalogue version.
    """
    return catalog_cache.cached("mail.mailboxes", _load_mailboxes_by_address)


def cached_mailbox(mailbox_id: int | None) -> Mailbox | None:
    """The mailbox with this id from ``mailboxes_by_address`` (the few fields intake needs), if any."""
    return next((m for m in mailboxes_by_address().values() if m.pk == mailbox_id), None)


def mailbox_get(mailbox_id: int) -> Mailbox | None:
    return Mailbox.objects.filter(pk=mailbox_id).first()


def brand_choices() -> list[tuple[int, str]]:
    return [(brand.pk, brand.name) for brand in Brand.objects.order_by("name", "id")]


def inbound_list(*, state: str = "") -> QuerySet[InboundMessage]:
    """Stored messages, newest first, without their raw bytes; by default the ones that need a look."""
    queryset = InboundMessage.objects.select_related("mailbox").defer("raw").order_by("-received_at", "-id")
    if state in InboundMessage.State.values:
        return queryset.filter(state=state)
    return queryset.filter(state__in=PROBLEM_STATES)


def inbound_raw(inbound_id: int) -> bytes | None:
    raw = InboundMessage.objects.filter(pk=inbound_id).values_list("raw", flat=True).first()
    return bytes(raw) if raw is not None else None


def thread_inbound_id(thread_id: int) -> int | None:
    """The stored message a thread was made from (the first, if intake linked several)."""
    return (
        InboundMessage.objects.filter(thread_id=thread_id).order_by("id").values_list("pk", flat=True).first()
    )


def addresses_not_to_notify(addresses: list[str]) -> set[str]:
    """Of ``addresses`` (lower case), those a notification must never go to: our own mailboxes, and
    any that has sent us an automatic message (an auto-reply, a mailer daemon) — the loop guard that
    acknowledgements already follow (intake's ``is_automated``)."""
    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return set()
    ours = {address.lower() for address in Mailbox.objects.values_list("address", flat=True)} & wanted
    automated = {
        sender.lower()
        for sender in InboundMessage.objects.filter(is_automated=True)
        .annotate(sender_lower=Lower("sender"))
        .filter(sender_lower__in=wanted)
        .values_list("sender", flat=True)
    }
    return ours | automated
