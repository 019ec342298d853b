"""REST endpoints for contacts and accounts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kefu.contacts import services
from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, Contact
from kefu.contacts.schemas import (
    AccountCreateIn,
    AccountFieldsIn,
    AccountListOut,
    AccountOut,
    ContactFieldsIn,
    ContactListIn,
    ContactListOut,
    ContactOut,
    ListIn,
)
from kefu.contacts.selectors import account_get, account_list, contact_get, contact_list
from kefu.core.actors import Source
from kefu.core.api_types import ERRORS, Id
from kefu.core.idempotency import idempotent
from kefu.core.pagination import paginate
from kefu.org.api_access import api_agent

contacts_router = Router(tags=["contacts"])
accounts_router = Router(tags=["accounts"])


def contact_out(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "name": contact.name,
        "email": contact.email,
        "other_emails": sorted(a.address for a in contact.addresses.all() if not a.is_primary),
        "phone": contact.phone,
        "mobile": contact.mobile,
        "account_id": contact.account_id,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "tags": sorted(tag.name for tag in contact.tags.all()),
        "custom_fields": contact.custom_fields,
        "owner_id": contact.owner_id,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
    }


def account_out(account: Account) -> dict[str, Any]:
    return {
        field: getattr(account, field)
        for field in (
            "id",
            "name",
            "website",
            "phone",
            "industry",
            "custom_fields",
            "created_at",
            "updated_at",
        )
    }


def _contact(contact_id: int) -> Contact:
    contact = contact_get(contact_id)
    if contact is None:
        raise Http404
    return contact


def _account(account_id: int) -> Account:
    account = account_get(account_id)
    if account is None:
        raise Http404
    return account


@contacts_router.get("", response={200: ContactListOut, **ERRORS}, summary="List contacts")
def list_contacts(request: HttpRequest, filters: Query[ContactListIn]) -> dict[str, Any]:
    api_agent(request)
    queryset = contact_list(q=(filters.q or "").strip(), account_id=filters.account_id)
    page = paginate(queryset, sort="-created_at", limit=filters.limit, cursor=filters.cursor)
    return {"items": [contact_out(contact) for contact in page.items], "next_cursor": page.next_cursor}


@contacts_router.post("", response={201: ContactOut, **ERRORS}, summary="Create a contact")
def create_contact(request: HttpRequest, payload: ContactFieldsIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        data = ContactInput(
            **{k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
        )
        contact = services.contact_create(actor=actor, source=Source.API, data=data)
        return 201, ContactOut.model_validate(contact_out(_contact(contact.pk))).model_dump(mode="json")

    return Status(*idempotent(request, create))


@contacts_router.get("/{contact_id}", response={200: ContactOut, **ERRORS}, summary="Get a contact")
def get_contact(request: HttpRequest, contact_id: Id) -> dict[str, Any]:
    api_agent(request)
    return contact_out(_contact(contact_id))


@contacts_router.patch("/{contact_id}", response={200: ContactOut, **ERRORS}, summary="Change a contact")
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactFieldsIn) -> dict[str, Any]:
    actor = api_agent(request)
    contact = _contact(contact_id)
    services.contact_update(
        actor=actor, source=Source.API, contact=contact, changes=payload.model_dump(exclude_unset=True)
    )
    return contact_out(_contact(contact_id))


@accounts_router.get("", response={200: AccountListOut, **ERRORS}, summary="List accounts")
def list_accounts(request: HttpRequest, filters: Query[ListIn]) -> dict[str, Any]:
    api_agent(request)
    page = paginate(
        account_list(q=(filters.q or "").strip()),
        sort="-created_at",
        limit=filters.limit,
        cursor=filters.cursor,
    )
    return {"items": [account_out(account) for account in page.items], "next_cursor": page.next_cursor}


@accounts_router.post("", response={201: AccountOut, **ERRORS}, summary="Create an account")
def create_account(request: HttpRequest, payload: AccountCreateIn) -> Status[dict[str, Any]]:
    actor = api_agent(request)

    def create() -> tuple[int, dict[str, Any]]:
        data = AccountInput(
            **{k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
        )
        account = services.account_create(actor=actor, source=Source.API, data=data)
        return 201, AccountOut.model_validate(account_out(account)).model_dump(mode="json")

    return Status(*idempotent(request, create))


@accounts_router.get("/{account_id}", response={200: AccountOut, **ERRORS}, summary="Get an account")
def get_account(request: HttpRequest, account_id: Id) -> dict[str, Any]:
    api_agent(request)
    return account_out(_account(account_id))


@accounts_router.patch("/{account_id}", response={200: AccountOut, **ERRORS}, summary="Change an account")
def update_account(request: HttpRequest, account_id: Id, payload: AccountFieldsIn) -> dict[str, Any]:
    actor = api_agent(request)
    account = services.account_update(
        actor=actor,
        source=Source.API,
        account=_account(account_id),
        changes=payload.model_dump(exclude_unset=True),
    )
    return account_out(account)
