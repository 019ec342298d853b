"""Account pages: the list, an account with its contacts and tickets, and the create/edit form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.contacts import services
from kefu.contacts.forms import AccountForm
from kefu.contacts.inputs import AccountInput
from kefu.contacts.models import Account
from kefu.contacts.selectors import (
    account_console_list,
    account_contacts,
    account_get,
    account_tickets,
    custom_field_definitions,
)
from kefu.contacts.views.common import (
    can_manage,
    check_id,
    number_prefix,
    page_of,
    render_search_list,
    require_manage,
)
from kefu.contacts.views.contacts import custom_values
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError
from kefu.core.htmx import is_partial
from kefu.customfields.layout_display import form_layout
from kefu.org.decorators import agent_required

MAX_CONTACTS_SHOWN = 50


def _account(account_id: int) -> Account:
    account = account_get(check_id(account_id))
    if account is None:
        raise Http404
    return account


@agent_required()
def account_list(request: HttpRequest) -> HttpResponse:
    return render_search_list(
        request,
        lambda q: account_console_list(q=q),
        template="contacts/account_list.html",
        partial="contacts/partials/account_table.html",
    )


@agent_required()
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _account(account_id)
    page, cursor_error = page_of(
        account_tickets(request.user, account), sort="-created_at", cursor=request.GET.get("cursor")
    )
    contacts = list(account_contacts(account)[: MAX_CONTACTS_SHOWN + 1])
    context = {
        "account": account,
        "contacts": contacts[:MAX_CONTACTS_SHOWN],
        "more_contacts": len(contacts) > MAX_CONTACTS_SHOWN,
        "custom_values": custom_values("account", account.custom_fields),
        "tickets": page,
        "number_prefix": number_prefix(),
        "show_contact": True,
        "cursor_error": cursor_error,
        "can_manage": can_manage(request),
    }
    if is_partial(request):
        return render(request, "contacts/partials/ticket_table.html", context)
    return render(request, "contacts/account_detail.html", context)


def _form_page(request: HttpRequest, account: Account | None) -> HttpResponse:
    require_manage(request)
    initial = (
        {field: getattr(account, field) for field in ("name", "website", "phone", "industry")}
        if account
        else None
    )
    form = AccountForm(
        request.POST or None,
        initial=initial,
        custom_fields=custom_field_definitions("account"),
        values=account.custom_fields if account else {},
    )
    if request.method == "POST" and form.is_valid():
        actor = Actor.agent(request.user)
        try:
            if account is None:
                saved = services.account_create(
                    actor=actor, source=Source.WEB, data=AccountInput(**form.changes())
                )
            else:
                saved = services.account_update(
                    actor=actor, source=Source.WEB, account=account, changes=form.changes()
                )
        except ServiceError as exc:
            form.add_service_errors(exc.message, exc.fields)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("contacts:account-detail", saved.pk)
    layout = form_layout("account", form, form.layout_names(), always=("name",))
    return render(request, "contacts/account_form.html", {"form": form, "account": account, "layout": layout})


@agent_required()
def account_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@agent_required()
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    return _form_page(request, _account(account_id))
