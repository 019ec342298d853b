"""Reads of contacts and accounts. Agents see every contact; ticket visibility is scoped separately."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kefu.contacts.models import Account, Contact


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
