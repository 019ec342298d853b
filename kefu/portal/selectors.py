"""Reads of the help center: brands by slug, their look, customers and the tickets a customer may see.

A customer sees the tickets it requested, those it is in CC of, and its account's when the account
shares tickets (the same rule as ``tickets.selectors.contact_may_write``); any other ticket is a 404.
Only public parts of a ticket are shown: its messages and public comments, never internal ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from kefu.contacts.models import Contact
from kefu.customfields.models import CustomField
from kefu.org.models import Brand, Department
from kefu.portal.models import Customer, HelpCenter, ModuleVisibility
from kefu.portal.services.tickets import brand_departments
from kefu.tickets.models import Attachment, Ticket
from kefu.tickets.selectors import comment_list, contact_may_write, conversation_threads


def brand_by_slug(slug: str) -> Brand | None:
    return Brand.objects.filter(slug=slug).first()


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.prefetch_related("departments").order_by("name", "id")


def brand_get(brand_id: int) -> Brand | None:
    return Brand.objects.prefetch_related("departments").filter(pk=brand_id).first()


def help_center_of(brand: Brand) -> HelpCenter:
    """The brand's help center, or the defaults (unsaved) while nobody has changed it."""
    return HelpCenter.objects.filter(brand=brand).first() or HelpCenter(brand=brand)


def customer_of(user: Any) -> Customer | None:
    if user is None or not user.is_authenticated:
        return None
    return Customer.objects.select_related("contact", "user").filter(user=user).first()


@dataclass(frozen=True)
class Module:
    key: str
    visibility: str


def visible_modules(help_center: HelpCenter, *, signed_in: bool) -> list[str]:
    """The home page's modules in order, for an anonymous visitor or a signed-in customer."""
    shown = []
    for item in help_center.modules:
        visibility = item.get("visibility")
        if visibility == ModuleVisibility.EVERYONE or (
            visibility == ModuleVisibility.CUSTOMERS and signed_in
        ):
            shown.append(item["key"])
    return shown


def customer_tickets(contact: Contact) -> QuerySet[Ticket]:
    """The tickets a customer may see, newest activity first."""
    mine = Q(contact=contact) | Q(cc_contacts=contact)
    if contact.account_id is not None and contact.account is not None and contact.account.shares_tickets:
        mine |= Q(account_id=contact.account_id)
    return (
        Ticket.objects.filter(mine, deleted_at__isnull=True, is_spam=False)
        .distinct()
        .select_related("status", "department", "brand", "contact")
        .order_by("-updated_at", "-id")
    )


def customer_ticket(contact: Contact, ticket_id: int) -> Ticket | None:
    ticket = (
        Ticket.objects.select_related("status", "department", "brand", "contact")
        .filter(pk=ticket_id, deleted_at__isnull=True)
        .first()
    )
    if ticket is None or not contact_may_write(contact.pk, ticket):
        return None
    return ticket


def customer_conversation(ticket: Ticket) -> list[dict[str, Any]]:
    """Messages and public comments in time order: what the customer has been sent or has written."""
    items = [
        {"kind": "thread", "obj": thread, "at": thread.created_at} for thread in conversation_threads(ticket)
    ]
    items += [
        {"kind": "comment", "obj": comment, "at": comment.created_at}
        for comment in comment_list(ticket, public_only=True)
    ]
    return sorted(items, key=lambda item: (item["at"], item["obj"].pk))


def customer_attachment(contact: Contact, ticket_id: int, attachment_id: int) -> Attachment | None:
    """A file of a customer's ticket that came with a message or a public comment."""
    ticket = customer_ticket(contact, ticket_id)
    if ticket is None:
        return None
    return (
        Attachment.objects.filter(ticket=ticket, pk=attachment_id)
        # A scheduled reply's files are the customer's only once the reply has gone.
        .filter(Q(thread__isnull=False, thread__scheduled=False) | Q(comment__is_public=True))
        .first()
    )


def department_choices(brand: Brand) -> list[Department]:
    return brand_departments(brand)


def department_custom_fields(department_id: int) -> list[CustomField]:
    """The ticket fields of a department a customer fills in (its own and the global ones)."""
    return list(
        CustomField.objects.filter(module=CustomField.Module.TICKET, is_active=True)
        .filter(Q(departments__isnull=True) | Q(departments=department_id))
        .prefetch_related("options")
        .distinct()
        .order_by("order", "id")
    )


def is_agent(user: Any) -> bool:
    from kefu.org.selectors import agent_access

    return agent_access(user).is_agent


def contact_get(contact_id: int) -> Contact | None:
    return Contact.objects.filter(pk=contact_id, merged_into__isnull=True).first()


def customer_of_contact(contact: Contact) -> Customer | None:
    return Customer.objects.select_related("user").filter(contact=contact).first()


def ticket_portal_url(ticket: Ticket) -> str | None:
    """The absolute address of ``ticket``'s page in a help center, for links in emails to customers.

    The help center is the ticket's brand's, else the default brand's (a ticket that came by email to a
    mailbox of no brand); ``None`` when there is no such brand or its help center is unpublished. The
    page asks for a sign-in and shows the ticket only to the customers who may see it (requester, CC,
    account). The address starts with ``KEFU_SITE_URL``.
    """
    brand = ticket.brand if ticket.brand_id else Brand.objects.filter(is_default=True).order_by("id").first()
    if brand is None or not help_center_of(brand).is_enabled:
        return None
    return settings.KEFU_SITE_URL + reverse("portal:ticket", args=[brand.slug, ticket.pk])
