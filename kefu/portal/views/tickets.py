"""Customers' tickets in the help center: submit one, list mine (and my account's where it shares
them), read the conversation, reply, close. Another customer's ticket is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.actors import Source
from kefu.core.errors import ServiceError
from kefu.core.ids import parse_id
from kefu.portal import selectors, services
from kefu.portal.forms import ReplyForm
from kefu.portal.views.common import Site, client_ip, help_center_view, page
from kefu.tickets.inputs import FileInput

MAX_FILES = 10


def files_of(request: HttpRequest) -> list[FileInput]:
    return [
        FileInput(filename=upload.name or "file", content=upload, size=upload.size)
        for upload in request.FILES.getlist("files")[:MAX_FILES]
    ]


def cc_of(request: HttpRequest) -> list[str]:
    raw = request.POST.get("cc", "").replace("，", ",").replace(";", ",")
    return [address.strip() for address in raw.split(",") if address.strip()][:20]


def submission_of(request: HttpRequest, site: Site, context: dict[str, Any]) -> services.SubmissionInput:
    """The posted ticket form (help center page or widget panel) as the submission service takes it."""
    return services.SubmissionInput(
        subject=request.POST.get("subject", "").strip()[:255],
        message=request.POST.get("message", ""),
        name=request.POST.get("name", "").strip()[:200],
        email=request.POST.get("email", "").strip()[:254],
        department_id=context["department_id"],
        custom_fields=custom_field_values(request, context["custom_fields"]),
        files=files_of(request),
        cc=cc_of(request),
        honeypot=request.POST.get("website", ""),
        proof_challenge=request.POST.get("proof_challenge", ""),
        proof_nonce=request.POST.get("proof_nonce", ""),
        ip_address=client_ip(request),
        language=site.language,
    )


def custom_field_values(request: HttpRequest, fields: list[Any]) -> dict[str, Any]:
    """The custom fields as the ticket services take them; empty inputs are left out."""
    values: dict[str, Any] = {}
    for field in fields:
        name = f"cf_{field.key}"
        if field.field_type == "checkbox":
            if name in request.POST:
                values[field.key] = True
            continue
        if field.field_type == "multi_select":
            chosen = request.POST.getlist(name)
            if chosen:
                values[field.key] = chosen
            continue
        raw = request.POST.get(name, "").strip()
        if not raw:
            continue
        if field.field_type == "number":
            number = parse_id(raw.lstrip("-")) if raw.lstrip("-").isdigit() else None
            values[field.key] = (-number if raw.startswith("-") else number) if number is not None else raw
        else:
            values[field.key] = raw
    return values


def _department_id(request: HttpRequest, departments: list[Any]) -> int | None:
    chosen = parse_id(request.POST.get("department") or request.GET.get("department") or "")
    return chosen if chosen in {d.pk for d in departments} else (departments[0].pk if departments else None)


def submit_context(request: HttpRequest, site: Site, errors: dict[str, str] | None = None) -> dict[str, Any]:
    departments = selectors.department_choices(site.brand)
    department_id = _department_id(request, departments)
    return {
        "departments": departments,
        "department_id": department_id,
        "custom_fields": selectors.department_custom_fields(department_id) if department_id else [],
        "errors": errors or {},
        "values": request.POST,
        "proof_challenge": services.proof_challenge() if site.help_center.proof_of_work else "",
    }


@help_center_view
def ticket_new(request: HttpRequest, site: Site) -> HttpResponse:
    if request.htmx and request.method == "GET" and "department" in request.GET:
        return page(request, site, "portal/partials/custom_fields.html", submit_context(request, site))
    if request.method == "POST":
        context = submit_context(request, site)
        data = submission_of(request, site, context)
        try:
            ticket = services.portal_ticket_submit(
                brand=site.brand, data=data, source=Source.PORTAL,
                contact=site.customer.contact if site.customer else None,
            )  # fmt: skip
        except ServiceError as error:
            context["errors"] = error.fields or {"form": error.message}
            context["form_error"] = error.message
            return page(request, site, "portal/ticket_new.html", context, status=error.status_code)
        if site.customer is not None:
            messages.success(request, _("Your ticket is sent. We will answer you soon."))
            return redirect(reverse("portal:ticket", args=[site.brand.slug, ticket.pk]))
        return page(request, site, "portal/ticket_sent.html", {"ticket": ticket})
    return page(request, site, "portal/ticket_new.html", submit_context(request, site))


def _require_customer(request: HttpRequest, site: Site) -> HttpResponse | None:
    if site.customer is None:
        return redirect(reverse("portal:sign-in", args=[site.brand.slug]) + f"?next={request.path}")
    return None


@help_center_view
def ticket_list(request: HttpRequest, site: Site) -> HttpResponse:
    if (response := _require_customer(request, site)) is not None:
        return response
    tickets = list(selectors.customer_tickets(site.customer.contact)[:100])
    return page(request, site, "portal/tickets.html", {"tickets": tickets})


def _ticket(site: Site, ticket_id: int) -> Any:
    ticket = selectors.customer_ticket(site.customer.contact, ticket_id)
    if ticket is None:
        raise Http404
    return ticket


@help_center_view
def ticket_detail(request: HttpRequest, site: Site, ticket_id: int) -> HttpResponse:
    if (response := _require_customer(request, site)) is not None:
        return response
    ticket = _ticket(site, ticket_id)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.portal_ticket_reply(
                contact=site.customer.contact,
                ticket=ticket,
                body=form.cleaned_data["body"],
                files=files_of(request),
            )
        except ServiceError as error:
            form.apply_service_error(error, {"message": "body"})
            status = error.status_code
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(reverse("portal:ticket", args=[site.brand.slug, thread.ticket_id]))
    elif request.method == "POST":
        status = 422
    context = {
        "ticket": ticket,
        "conversation": selectors.customer_conversation(ticket),
        "form": form,
        "is_closed": ticket.status.status_type == "closed",
    }
    return page(request, site, "portal/ticket.html", context, status=status)


@require_POST
@help_center_view
def ticket_close(request: HttpRequest, site: Site, ticket_id: int) -> HttpResponse:
    if (response := _require_customer(request, site)) is not None:
        return response
    ticket = _ticket(site, ticket_id)
    try:
        services.portal_ticket_close(contact=site.customer.contact, ticket=ticket)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The ticket is closed. Write again any time to reopen it."))
    return redirect(reverse("portal:ticket", args=[site.brand.slug, ticket.pk]))


@help_center_view
def ticket_attachment(request: HttpRequest, site: Site, ticket_id: int, attachment_id: int) -> HttpResponse:
    if site.customer is None:
        raise Http404
    attachment = selectors.customer_attachment(site.customer.contact, ticket_id, attachment_id)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
                            content_type=attachment.content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
