"""Reads of contacts and accounts. Agents see every contact; ticket visibility is scoped separately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kefu.contacts.hooks import ticket_reads
from kefu.contacts.models import Account, Contact, ContactEmail
from kefu.customfields.models import CustomField
from kefu.customfields.validation import FieldSpec
from kefu.org.models import User

MAX_MERGE_HOPS = 5
_PRIMARY_FIRST = ContactEmail.objects.order_by("-is_primary", "address")


def contact_list(*, q: str = "", account_id: int | None = None) -> QuerySet[Contact]:
    queryset = (
        Contact.objects.filter(merged_into__isnull=True)
        .select_related("account")
        .prefetch_related("tags", "addresses")
    )
    if account_id is not None:
        queryset = queryset.filter(account_id=account_id)
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(addresses__address__icontains=q.lower())
            | Q(phone__icontains=q)
            | Q(mobile__icontains=q)
        ).distinct()
    return queryset


def contact_get(contact_id: int) -> Contact | None:
    return contact_list().filter(pk=contact_id).first()


def account_list(*, q: str = "") -> QuerySet[Account]:
    queryset = Account.objects.all()
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(website__icontains=q))
    return queryset


def account_get(account_id: int) -> Account | None:
    return Account.objects.filter(pk=account_id).first()


def contact_console_list(user: User | None, *, q: str = "") -> QuerySet[Contact]:
    """Contacts for the console list: matched on name, any address, phone or account name, each with the
    number of open tickets the viewer can see, in a fixed number of queries."""
    queryset = (
        Contact.objects.filter(merged_into__isnull=True)
        .select_related("account")
        .prefetch_related(
            Prefetch("addresses", queryset=ContactEmail.objects.order_by("-is_primary", "address"))
        )
        .annotate(open_ticket_count=ticket_reads().open_count(user, "contact_id"))
    )
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(addresses__address__icontains=q.lower())
            | Q(phone__icontains=q)
            | Q(mobile__icontains=q)
            | Q(account__name__icontains=q)
        ).distinct()
    return queryset


def contact_survivor_id(contact_id: int) -> int | None:
    """The live contact a merged contact now lives on, so that its old links still lead somewhere.

    ``contact_merge`` re-points earlier merges at the survivor, so this is one hop; the loop only
    guards against data written before that rule.
    """
    current: int | None = contact_id
    for _hop in range(MAX_MERGE_HOPS):
        if current is None:
            return None
        target = Contact.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if target is None:
            return current if current != contact_id else None
        current = target
    return None


def contact_tickets(user: User | None, contact: Contact) -> QuerySet[Any]:
    """The contact's tickets that ``user`` may see, with what a row shows (read by the tickets app)."""
    return ticket_reads().of_contact(user, contact)


def contact_lookup(q: str, *, limit: int = 10) -> list[Contact]:
    """Up to ``limit`` contacts matching ``q`` by name, address or phone, for search-as-you-type."""
    return list(contact_list(q=q).order_by("name", "id")[:limit])


def account_console_list(*, q: str = "") -> QuerySet[Account]:
    """Accounts for the console list, each with its number of (unmerged) contacts."""
    contacts = (
        Contact.objects.filter(account_id=OuterRef("pk"), merged_into__isnull=True)
        .order_by()
        .values("account_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return account_list(q=q).annotate(
        contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0)
    )


def account_contacts(account: Account) -> QuerySet[Contact]:
    return contact_list(account_id=account.pk).order_by("name", "id")


def account_tickets(user: User | None, account: Account) -> QuerySet[Any]:
    """The account's tickets that ``user`` may see, with what a row shows (read by the tickets app)."""
    return ticket_reads().of_account(user, account)


@dataclass(frozen=True)
class CustomFieldDefinition:
    """What a form needs to show one custom field: the validation spec plus its label."""

    spec: FieldSpec
    label: str


def custom_field_definitions(module: str) -> list[CustomFieldDefinition]:
    """The active custom fields of ``module`` ("contact" or "account"), in display order."""
    return [
        CustomFieldDefinition(
            spec=FieldSpec(
                key=field.key,
                field_type=field.field_type,
                choices=tuple(field.choices),
                is_required=field.is_required,
            ),
            label=field.display_name,
        )
        for field in CustomField.objects.filter(module=module, is_active=True).order_by("order", "id")
    ]


def account_names(*, limit: int = 200) -> list[str]:
    """Names offered while typing an account name in a form."""
    return list(Account.objects.order_by("name").values_list("name", flat=True).distinct()[:limit])


def account_shares_tickets(contact_id: int, account_id: int) -> bool:
    """Whether the contact belongs to the account and the account lets its contacts share tickets."""
    return Contact.objects.filter(pk=contact_id, account_id=account_id, account__shares_tickets=True).exists()
