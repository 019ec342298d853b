"""Writes of the email channel's settings: mailboxes, and re-running intake on a stored message.

Only administrators (``settings.manage``) may change mailboxes. Every change is audited, never with the
passwords in it.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.channels.email import intake
from kefu.channels.email.autoack import check_template
from kefu.channels.email.inputs import MailboxInput
from kefu.channels.email.models import InboundMessage, Mailbox, Security
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.validation import is_email
from kefu.org import permissions
from kefu.org.models import Brand, Department
from kefu.org.selectors import agent_access

SECRETS = ("password", "smtp_password")
MIN_POLL_INTERVAL = 30
MAX_POLL_INTERVAL = 86_400
_LIMITS = {
    "name": 100,
    "display_name": 100,
    "host": 255,
    "username": 255,
    "folder": 255,
    "move_to_folder": 255,
    "smtp_host": 255,
    "smtp_username": 255,
    "auto_ack_subject_zh": 255,
    "auto_ack_subject_en": 255,
    "auto_ack_body_zh": 20_000,
    "auto_ack_body_en": 20_000,
}


def _require_admin(actor: Actor) -> None:
    if actor.is_agent and not agent_access(actor.user).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


def _check_choice(errors: dict[str, str], field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        errors[field] = _("Select a valid choice.")


def _check_port(errors: dict[str, str], field: str, value: int | None) -> None:
    if value is not None and not 1 <= value <= 65535:
        errors[field] = _("Enter a port between 1 and 65535.")


def _clean(data: MailboxInput, mailbox: Mailbox | None) -> dict[str, Any]:
    """The model fields to write, or ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    values = dataclasses.asdict(data)
    for field, limit in _LIMITS.items():
        values[field] = (values[field] or "").strip()
        if len(values[field]) > limit:
            errors[field] = _("Enter at most %(limit)d characters.") % {"limit": limit}
    if not values["name"]:
        errors["name"] = _("This field is required.")
    address = (data.address or "").strip().lower()
    if not is_email(address):
        errors["address"] = _("Enter a valid email address.")
    elif Mailbox.objects.filter(address__iexact=address).exclude(pk=mailbox.pk if mailbox else -1).exists():
        errors["address"] = _("Another mailbox already has this address.")
    values["address"] = address
    if not Department.objects.filter(pk=data.department_id, is_active=True).exists():
        errors["department_id"] = _("Select a valid choice.")
    if data.brand_id is not None and not Brand.objects.filter(pk=data.brand_id).exists():
        errors["brand_id"] = _("Select a valid choice.")
    _check_choice(errors, "protocol", data.protocol, Mailbox.Protocol)
    _check_choice(errors, "security", data.security, Security)
    _check_choice(errors, "smtp_security", data.smtp_security, Security)
    _check_choice(errors, "after_import", data.after_import, Mailbox.AfterImport)
    _check_port(errors, "port", data.port)
    _check_port(errors, "smtp_port", data.smtp_port)
    if not MIN_POLL_INTERVAL <= data.poll_interval <= MAX_POLL_INTERVAL:
        errors["poll_interval"] = _("Enter a number of seconds between %(low)d and %(high)d.") % {
            "low": MIN_POLL_INTERVAL,
            "high": MAX_POLL_INTERVAL,
        }
    if not 0 <= data.reopen_within_days <= 3650:
        errors["reopen_within_days"] = _("Enter a number of days between 0 and 3650.")
    if data.protocol in (Mailbox.Protocol.IMAP, Mailbox.Protocol.POP3):
        for field in ("host", "username"):
            if not values[field]:
                errors[field] = _("Required for IMAP and POP3 mailboxes.")
        stored_password = mailbox.password if mailbox is not None else ""
        if not (data.password or stored_password):
            errors["password"] = _("Required for IMAP and POP3 mailboxes.")
    if data.protocol == Mailbox.Protocol.IMAP and not values["folder"]:
        errors["folder"] = _("This field is required.")
    if data.after_import == Mailbox.AfterImport.MOVE and not values["move_to_folder"]:
        errors["move_to_folder"] = _("Name the folder to move imported mail to.")
    if data.protocol == Mailbox.Protocol.POP3 and data.after_import == Mailbox.AfterImport.MOVE:
        errors["after_import"] = _("POP3 has no folders: keep or delete imported mail.")
    for field in ("auto_ack_subject_zh", "auto_ack_body_zh", "auto_ack_subject_en", "auto_ack_body_en"):
        problem = check_template(values[field]) if values[field] else ""
        if problem:
            errors[field] = _("This template has an error: %(error)s") % {"error": problem}
    if errors:
        raise ValidationFailed(_("The mailbox is not valid."), fields=errors)
    for secret in SECRETS:
        if values[secret] is None:
            values.pop(secret)
    return values


def _audit_changes(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key not in SECRETS} | {
        secret: "(changed)" for secret in SECRETS if secret in values
    }


def mailbox_create(*, actor: Actor, source: Source, data: MailboxInput) -> Mailbox:
    """Add a mailbox; IMAP/POP3 ones are polled from the next beat tick."""
    _require_admin(actor)
    values = _clean(data, None)
    try:
        with transaction.atomic():
            mailbox = Mailbox.objects.create(**values)
            audit_record(
                actor=actor,
                source=source,
                action="mailbox.created",
                obj=mailbox,
                changes=_audit_changes(values),
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            _("The mailbox is not valid."), fields={"address": _("Another mailbox already has this address.")}
        ) from exc
    return mailbox


def mailbox_update(*, actor: Actor, source: Source, mailbox: Mailbox, data: MailboxInput) -> Mailbox:
    """Change a mailbox. A new server or folder starts the import memory afresh (UIDs are per folder)."""
    _require_admin(actor)
    values = _clean(data, mailbox)
    changed = {key: value for key, value in values.items() if getattr(mailbox, key) != value}
    if {"host", "port", "username", "folder", "protocol"} & set(changed):
        changed.update(uidvalidity=None, last_uid=None)
    if not changed:
        return mailbox
    with transaction.atomic():
        for key, value in changed.items():
            setattr(mailbox, key, value)
        mailbox.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            source=source,
            action="mailbox.updated",
            obj=mailbox,
            changes=_audit_changes(
                {k: v for k, v in changed.items() if k not in ("uidvalidity", "last_uid")}
            ),
        )
    return mailbox


def mailbox_deactivate(*, actor: Actor, source: Source, mailbox: Mailbox) -> Mailbox:
    """Stop polling and accepting mail for a mailbox; its history and replies' From stay as they were."""
    _require_admin(actor)
    if not mailbox.is_active:
        return mailbox
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)
        mailbox.is_active = False
        audit_record(
            actor=actor,
            source=source,
            action="mailbox.deactivated",
            obj=mailbox,
            changes={"is_active": False},
        )
    return mailbox


def mailbox_intake_secret_generate(*, actor: Actor, source: Source, mailbox: Mailbox) -> str:
    """Give the mailbox a new HTTP intake secret and return it: the only time anyone sees it.

    Only its SHA-256 is stored (``intake_secret_digest``); from now on the endpoint accepts this secret
    for the mailbox, and no longer the installation's ``KEFU_MAIL_INBOUND_SECRET``. A new one replaces
    the old at once.
    """
    _require_admin(actor)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(intake_secret_digest=intake.secret_digest(secret))
        audit_record(
            actor=actor,
            source=source,
            action="mailbox.intake_secret_generated",
            obj=mailbox,
            changes={"intake_secret": "(changed)", "replaced": bool(mailbox.intake_secret_digest)},
        )
    mailbox.intake_secret_digest = intake.secret_digest(secret)
    return secret


def mailbox_intake_secret_remove(*, actor: Actor, source: Source, mailbox: Mailbox) -> Mailbox:
    """Forget the mailbox's own HTTP intake secret: the installation's secret (if any) applies again."""
    _require_admin(actor)
    if not mailbox.intake_secret_digest:
        return mailbox
    with transaction.atomic():
        Mailbox.objects.filter(pk=mailbox.pk).update(intake_secret_digest="")
        audit_record(
            actor=actor,
            source=source,
            action="mailbox.intake_secret_removed",
            obj=mailbox,
            changes={"intake_secret": "(removed)"},
        )
    mailbox.intake_secret_digest = ""
    return mailbox


def inbound_reprocess(*, actor: Actor, source: Source, inbound_id: int) -> InboundMessage:
    """Run intake again on a stored message (after a fix, or a mailbox was added for its address)."""
    _require_admin(actor)
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    if inbound is None:
        raise NotFound(_("No such message."))
    audit_record(
        actor=actor,
        source=source,
        action="inbound_message.reprocessed",
        obj=inbound,
        changes={"state": inbound.state, "reason": inbound.reason[:500]},
    )
    return intake.message_reprocess(inbound_id)
