"""Writing canned replies and counting their use."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.automation.canned.scope import check_change, clean_department, may_see, not_valid
from kefu.automation.macros.placeholders import render_body, unknown_placeholders
from kefu.automation.models import CannedReply
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound
from kefu.org.services.common import required

MAX_BODY = 20_000
_SHORTCUT = re.compile(r"^[\w-]{1,50}$")


def _clean(
    errors: dict[str, str],
    actor: Actor,
    *,
    title: str,
    body: str,
    language: str,
    shortcut: str,
    department_id: int | None,
) -> dict[str, Any]:
    title = required(errors, "title", title)
    if len(title) > 150:
        errors["title"] = _("Enter at most 150 characters.")
    if not body.strip():
        errors["body"] = _("This field is required.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("Enter at most %(limit)d characters.") % {"limit": MAX_BODY}
    elif unknown := unknown_placeholders(body):
        errors["body"] = _("Unknown placeholder %(name)s.") % {"name": unknown[0]}
    if language not in CannedReply.Language.values:
        errors["language"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(CannedReply.Language.values)
        }
    shortcut = shortcut.strip().lstrip("#")
    if shortcut and not _SHORTCUT.match(shortcut):
        errors["shortcut"] = _("Use letters, digits, hyphens and underscores (at most 50).")
    department = clean_department(errors, actor, department_id)
    return {
        "title": title,
        "body": body,
        "language": language,
        "shortcut": shortcut,
        "department": department,
    }


def canned_reply_create(
    *,
    actor: Actor,
    source: Source,
    title: str,
    body: str,
    language: str = CannedReply.Language.ZH_HANS,
    shortcut: str = "",
    department_id: int | None = None,
    shared: bool = True,
) -> CannedReply:
    """A shared reply needs ``settings.manage``; a personal one belongs to the agent who writes it."""
    check_change(actor, shared=shared, owner_id=actor.id)
    errors: dict[str, str] = {}
    values = _clean(
        errors,
        actor,
        title=title,
        body=body,
        language=language,
        shortcut=shortcut,
        department_id=department_id,
    )
    not_valid(_("The canned reply is not valid."), errors)
    with transaction.atomic():
        reply = CannedReply.objects.create(owner_id=None if shared else actor.id, **values)
        audit_record(
            actor=actor, source=source, action="canned_reply.created", obj=reply, changes={"title": title}
        )
    return reply


def canned_reply_get(actor: Actor, reply_id: int) -> CannedReply:
    reply = CannedReply.objects.filter(pk=reply_id).first()
    if reply is None or (actor.is_agent and not may_see(actor.user, reply)):
        raise NotFound(_("No such canned reply."))
    return reply


def canned_reply_update(
    *,
    actor: Actor,
    source: Source,
    reply_id: int,
    title: str,
    body: str,
    language: str = CannedReply.Language.ZH_HANS,
    shortcut: str = "",
    department_id: int | None = None,
    shared: bool = True,
) -> CannedReply:
    reply = canned_reply_get(actor, reply_id)
    check_change(actor, shared=reply.owner_id is None, owner_id=reply.owner_id)
    check_change(actor, shared=shared, owner_id=actor.id if not shared else None)
    errors: dict[str, str] = {}
    values = _clean(
        errors,
        actor,
        title=title,
        body=body,
        language=language,
        shortcut=shortcut,
        department_id=department_id,
    )
    not_valid(_("The canned reply is not valid."), errors)
    with transaction.atomic():
        for field, value in values.items():
            setattr(reply, field, value)
        if shared:
            reply.owner_id = None
        elif reply.owner_id is None:
            reply.owner_id = actor.id
        reply.save()
        audit_record(
            actor=actor, source=source, action="canned_reply.updated", obj=reply, changes={"title": title}
        )
    return reply


def canned_reply_delete(*, actor: Actor, source: Source, reply_id: int) -> None:
    reply = canned_reply_get(actor, reply_id)
    check_change(actor, shared=reply.owner_id is None, owner_id=reply.owner_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            source=source,
            action="canned_reply.deleted",
            obj=reply,
            changes={"title": reply.title},
        )
        reply.delete()


def canned_reply_use(*, actor: Actor, reply_id: int, ticket: Any = None) -> str:
    """Count one use of the reply and return its text, placeholders filled for ``ticket`` when given."""
    reply = canned_reply_get(actor, reply_id)
    CannedReply.objects.filter(pk=reply.pk).update(usage_count=F("usage_count") + 1)
    if ticket is None:
        return reply.body
    return render_body(reply.body, ticket=ticket, agent=actor.user)
