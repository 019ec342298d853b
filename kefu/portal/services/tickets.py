"""Customers' tickets from a help center or the widget: submit, reply, close.

Everything goes through the one write path (``kefu.tickets.services``) with the customer's contact as
the actor and ``portal`` or ``widget`` as the source, so a ticket opened here is the same ticket, with
the same events, as one opened by email or through the API. A ticket from a brand's help center
belongs to the brand: its replies leave through the brand's mailbox under the brand's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Contact
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.org.models import Brand, Department
from kefu.portal.models import HelpCenter, Submission
from kefu.portal.services.proof import proof_check
from kefu.tickets.inputs import ContactRef, FileInput, MessageInput, TicketCreateInput
from kefu.tickets.selectors import status_catalog
from kefu.tickets.services import ticket_create, ticket_receive, ticket_set_status

RATE_WINDOW = dt.timedelta(hours=1)


class RateLimited(ServiceError):
    status_code = 429
    code = "rate_limited"


@dataclass
class SubmissionInput:
    subject: str
    message: str
    name: str = ""
    email: str = ""
    department_id: int | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)
    files: list[FileInput] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    """Addresses to keep informed (the customer's colleague, say), as an email's CC would."""
    honeypot: str = ""
    proof_challenge: str = ""
    proof_nonce: str = ""
    ip_address: str | None = None
    language: str = ""


def brand_departments(brand: Brand) -> list[Department]:
    """The departments a brand's customers may write to: its own, else every active one."""
    linked = list(brand.departments.filter(is_active=True).order_by("id"))
    return linked or list(Department.objects.filter(is_active=True).order_by("id"))


def _department(brand: Brand, department_id: int | None) -> int:
    choices = brand_departments(brand)
    if not choices:
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"department_id": _("No department takes tickets.")}
        )
    if department_id is None:
        return choices[0].pk
    if department_id not in {department.pk for department in choices}:
        raise ValidationFailed(
            _("The ticket is not valid."),
            fields={"department_id": _("Unknown id %(id)s.") % {"id": department_id}},
        )
    return department_id


def _limit(brand: Brand, data: SubmissionInput, now: dt.datetime) -> None:
    limit = getattr(settings, "KEFU_PORTAL_RATE_LIMIT", 10)
    recent = Submission.objects.filter(created_at__gt=now - RATE_WINDOW)
    if data.ip_address and recent.filter(ip_address=data.ip_address).count() >= limit:
        raise RateLimited(_("Too many tickets from your network. Try again in an hour."))
    if data.email and recent.filter(email=data.email.strip().lower()).count() >= limit:
        raise RateLimited(_("Too many tickets from your network. Try again in an hour."))


def _renamed(error: ValidationFailed) -> ValidationFailed:
    """The ticket services call the first message ``description`` and the requester ``contact.email``."""
    names = {"description": "message", "contact.email": "email", "contact_id": "email"}
    fields = {names.get(key, key): value for key, value in error.fields.items()}
    return ValidationFailed(error.message, fields=fields)


def portal_ticket_submit(
    *,
    brand: Brand,
    data: SubmissionInput,
    source: Source = Source.PORTAL,
    contact: Contact | None = None,
    now: dt.datetime | None = None,
) -> Any:
    """Open a ticket for the signed-in ``contact``, or for ``data.name``/``data.email`` when anonymous."""
    now = now or timezone.now()
    if data.honeypot.strip():
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"website": _("Leave this field empty.")}
        )
    _limit(brand, data, now)
    errors: dict[str, str] = {}
    if not data.subject.strip():
        errors["subject"] = _("This field is required.")
    if not data.message.strip():
        errors["message"] = _("This field is required.")
    if contact is None and not data.email.strip():
        errors["email"] = _("This field is required.")
    if errors:
        raise ValidationFailed(_("The ticket is not valid."), fields=errors)
    help_center = HelpCenter.objects.filter(brand=brand).first()
    proof = None
    if help_center is not None and help_center.proof_of_work:
        proof = proof_check(data.proof_challenge, data.proof_nonce)
    department_id = _department(brand, data.department_id)
    try:
        with transaction.atomic():
            if contact is None:
                contact = contact_get_or_create_by_email(
                    actor=Actor.system(), source=source, email=data.email, name=data.name
                )
            ticket = ticket_create(
                actor=Actor.contact(contact),
                source=source,
                data=TicketCreateInput(
                    subject=data.subject,
                    department_id=department_id,
                    contact=ContactRef(contact=contact),
                    channel=source.value,
                    brand_id=brand.pk,
                    language=data.language if data.language in ("zh-hans", "en") else brand.default_language,
                    custom_fields=data.custom_fields,
                    message=MessageInput(
                        body=data.message,
                        from_address=contact.email,
                        channel=source.value,
                        files=data.files,
                        cc=data.cc,
                    ),
                ),
            )
            Submission.objects.create(
                brand=brand,
                ip_address=data.ip_address,
                email=contact.email.lower(),
                proof=proof,
                created_at=now,
            )
    except ValidationFailed as error:
        raise _renamed(error) from None
    except IntegrityError:
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"proof": _("Reload the page and send again.")}
        ) from None
    return ticket


def portal_ticket_reply(
    *, contact: Contact, ticket: Any, body: str, files: list[FileInput], source: Source = Source.PORTAL
) -> Any:
    """The customer's message on its ticket: the one ``ticket_receive`` policy (reopen or follow-up)."""
    try:
        return ticket_receive(
            actor=Actor.contact(contact),
            source=source,
            ticket=ticket,
            data=MessageInput(body=body, from_address=contact.email, channel=source.value, files=files),
        )
    except ValidationFailed as error:
        raise ValidationFailed(
            error.message, fields={"body" if k == "description" else k: v for k, v in error.fields.items()}
        ) from None


def portal_ticket_close(*, contact: Contact, ticket: Any, source: Source = Source.PORTAL) -> Any:
    closed = status_catalog().filter(status_type="closed").order_by("id").first()
    if closed is None:
        raise ValidationFailed(
            _("No status closes tickets."), fields={"status": _("No status closes tickets.")}
        )
    return ticket_set_status(actor=Actor.contact(contact), source=source, ticket=ticket, status=closed.pk)
