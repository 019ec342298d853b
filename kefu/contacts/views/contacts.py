"""Contact pages: the list, a contact with their tickets, and the create/edit form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.contacts import services
from kefu.contacts.forms import ContactForm
from kefu.contacts.inputs import ContactInput
from kefu.contacts.models import Contact
from kefu.contacts.selectors import (
    account_names,
    contact_console_list,
    contact_get,
    contact_survivor_id,
    contact_tickets,
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
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.core.htmx import is_partial
from kefu.customfields.layout_display import form_layout
from kefu.org.decorators import agent_required


def resolve_contact(contact_id: int) -> tuple[Contact | None, int | None]:
    """The live contact, or else the id of the contact it was merged into (for a redirect), or a 404."""
    contact = contact_get(check_id(contact_id))
    if contact is not None:
        return contact, None
    survivor = contact_survivor_id(contact_id)
    if survivor is None:
        raise Http404
    return None, survivor


@agent_required()
def contact_list(request: HttpRequest) -> HttpResponse:
    return render_search_list(
        request,
        lambda q: contact_console_list(request.user, q=q),
        template="contacts/contact_list.html",
        partial="contacts/partials/contact_table.html",
    )


@agent_required()
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, survivor = resolve_contact(contact_id)
    if contact is None:
        return redirect("contacts:detail", survivor)
    page, cursor_error = page_of(
        contact_tickets(request.user, contact), sort="-created_at", cursor=request.GET.get("cursor")
    )
    context = {
        "contact": contact,
        "addresses": sorted(contact.addresses.all(), key=lambda a: (not a.is_primary, a.address)),
        "custom_values": custom_values("contact", contact.custom_fields),
        "tickets": page,
        "number_prefix": number_prefix(),
        "cursor_error": cursor_error,
        "can_manage": can_manage(request),
    }
    if is_partial(request):
        return render(request, "contacts/partials/ticket_table.html", context)
    return render(request, "contacts/contact_detail.html", context)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def custom_values(module: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, shown value) of each custom field that has a value, in the fields' order."""
    return [
        (definition.label, _shown(values[definition.spec.key]))
        for definition in custom_field_definitions(module)
        if definition.spec.key in values
    ]


def _account_id(actor: Actor, name: str) -> int | None:
    """The account picked by name, created on the spot when no account has that name yet."""
    if not name:
        return None
    try:
        return services.account_get_or_create_by_name(actor=actor, source=Source.WEB, name=name).pk
    except ServiceError as exc:
        raise ValidationFailed(exc.message, fields={"account_id": exc.message}) from exc


def _save(request: HttpRequest, form: ContactForm, contact: Contact | None) -> Contact:
    actor = Actor.agent(request.user)
    # A new account and the contact that needs it are created together or not at all.
    with transaction.atomic():
        changes = form.changes()
        changes["account_id"] = _account_id(actor, form.cleaned_data["account_name"])
        if contact is None:
            return services.contact_create(actor=actor, source=Source.WEB, data=ContactInput(**changes))
        return services.contact_update(actor=actor, source=Source.WEB, contact=contact, changes=changes)


def _initial(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "email": contact.email,
        "other_emails": "\n".join(
            sorted(address.address for address in contact.addresses.all() if not address.is_primary)
        ),
        "phone": contact.phone,
        "mobile": contact.mobile,
        "account_name": contact.account.name if contact.account else "",
        "language": contact.language,
        "time_zone": contact.time_zone,
        "tags": ", ".join(sorted(tag.name for tag in contact.tags.all())),
    }


def _form_page(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    require_manage(request)
    form = ContactForm(
        request.POST or None,
        initial=_initial(contact) if contact else None,
        custom_fields=custom_field_definitions("contact"),
        values=contact.custom_fields if contact else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, contact)
        except ServiceError as exc:
            form.add_service_errors(exc.message, exc.fields)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("contacts:detail", saved.pk)
    layout = form_layout("contact", form, form.layout_names(), always=("name", "email"))
    return render(
        request,
        "contacts/contact_form.html",
        {"form": form, "contact": contact, "account_names": account_names(), "layout": layout},
    )


@agent_required()
def contact_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@agent_required()
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, survivor = resolve_contact(contact_id)
    if contact is None:
        return redirect("contacts:edit", survivor)
    return _form_page(request, contact)
