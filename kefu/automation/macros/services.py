"""Macros: writing them, and applying them to one ticket or a selection.

Applying a macro runs its actions through the action registry — the very code workflow rules use — with
the agent who clicked as the actor, so every change passes the ticket services' permission checks and
the history says who did it. A macro's reply and comment texts have their placeholders filled for each
ticket first. All the actions of one ticket are one transaction: a refused action undoes the others on
that ticket, and a selection reports per ticket what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.automation.actions import ActionContext, clean_actions, get_action
from kefu.automation.canned.scope import check_change, clean_department, may_see, not_valid, visible_q
from kefu.automation.macros.inputs import MacroInput
from kefu.automation.macros.placeholders import render_body, unknown_placeholders
from kefu.automation.models import Macro
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, ServiceError, ValidationFailed
from kefu.org.services.common import required
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import ticket_get

TEMPLATED = ("body",)
"""The keys of an action whose text may hold placeholders (``reply`` and ``comment`` bodies)."""
MAX_SELECTION = 200


def _clean(errors: dict[str, str], actor: Actor, data: MacroInput) -> dict[str, Any]:
    name = required(errors, "name", data.name)
    if len(name) > 150:
        errors["name"] = _("Enter at most 150 characters.")
    actions, problems = clean_actions(data.actions)
    errors.update(problems)
    if not data.actions and "actions" not in errors:
        errors["actions"] = _("A macro needs at least one action.")
    for index, item in enumerate(data.actions if isinstance(data.actions, list) else []):
        if isinstance(item, dict) and item.get("type") in ("apply_macro", "stop"):
            errors[f"actions[{index}].type"] = _("A macro cannot use this action.")
        for key in TEMPLATED:
            text = item.get(key) if isinstance(item, dict) else None
            unknown = unknown_placeholders(text) if isinstance(text, str) else []
            if unknown:
                errors.setdefault(
                    f"actions[{index}].{key}", _("Unknown placeholder %(name)s.") % {"name": unknown[0]}
                )
    department = clean_department(errors, actor, data.department_id)
    return {
        "name": name,
        "description": data.description.strip(),
        "actions": actions,
        "department": department,
    }


def macro_create(*, actor: Actor, source: Source, data: MacroInput) -> Macro:
    """A shared macro needs ``settings.manage``; a personal one belongs to the agent who makes it."""
    check_change(actor, shared=data.shared, owner_id=actor.id)
    errors: dict[str, str] = {}
    values = _clean(errors, actor, data)
    not_valid(_("The macro is not valid."), errors)
    with transaction.atomic():
        macro = Macro.objects.create(shared=data.shared, owner_id=None if data.shared else actor.id, **values)
        audit_record(
            actor=actor, source=source, action="macro.created", obj=macro, changes={"name": macro.name}
        )
    return macro


def macro_get(actor: Actor, macro_id: int) -> Macro:
    """The macro if ``actor`` may use it; another department's or another agent's personal one is unknown."""
    macro = Macro.objects.select_related("department").filter(pk=macro_id).first()
    if macro is None or (actor.is_agent and not may_see(actor.user, macro)):
        raise NotFound(_("No such macro."))
    return macro


def macro_update(*, actor: Actor, source: Source, macro_id: int, data: MacroInput) -> Macro:
    macro = macro_get(actor, macro_id)
    check_change(actor, shared=macro.shared, owner_id=macro.owner_id)
    check_change(actor, shared=data.shared, owner_id=macro.owner_id or actor.id)
    errors: dict[str, str] = {}
    values = _clean(errors, actor, data)
    not_valid(_("The macro is not valid."), errors)
    with transaction.atomic():
        for key, value in values.items():
            setattr(macro, key, value)
        macro.shared = data.shared
        macro.owner_id = None if data.shared else (macro.owner_id or actor.id)
        macro.save()
        audit_record(
            actor=actor, source=source, action="macro.updated", obj=macro, changes={"name": macro.name}
        )
    return macro


def macro_delete(*, actor: Actor, source: Source, macro_id: int) -> None:
    macro = macro_get(actor, macro_id)
    check_change(actor, shared=macro.shared, owner_id=macro.owner_id)
    with transaction.atomic():
        audit_record(
            actor=actor, source=source, action="macro.deleted", obj=macro, changes={"name": macro.name}
        )
        macro.delete()


def macro_list(user: Any, *, department_id: int | None = None) -> QuerySet[Macro]:
    """The macros ``user`` may apply, most used first; ``department_id`` keeps those fit for its tickets."""
    macros = Macro.objects.filter(visible_q(user)).select_related("department")
    if department_id is not None:
        macros = macros.filter(department__isnull=True) | macros.filter(department_id=department_id)
    return macros.order_by("-usage_count", "name", "id")


def macro_for_rules(macro_id: Any) -> Macro | None:
    """A shared macro a workflow rule may apply (by id)."""
    if isinstance(macro_id, bool) or not isinstance(macro_id, int):
        return None
    return Macro.objects.filter(pk=macro_id, owner__isnull=True).first()


def rendered(item: dict[str, Any], ticket: Ticket, agent: Any) -> dict[str, Any]:
    """One action with its placeholders filled for ``ticket``."""
    return {
        key: render_body(value, ticket=ticket, agent=agent)
        if key in TEMPLATED and isinstance(value, str)
        else value
        for key, value in item.items()
    }


def macro_run(macro: Macro, ticket: Ticket, context: ActionContext) -> None:
    """Apply each action of ``macro`` to ``ticket`` in order (used by agents' clicks and by rules)."""
    agent = context.actor.user if context.actor.is_agent else None
    for item in macro.actions:
        action = get_action(item["type"])
        if action is None:
            raise ValidationFailed(
                _("The macro is not valid."),
                fields={"actions": _("Unknown action %(type)s.") % {"type": item["type"]}},
            )
        current = Ticket.objects.select_related("contact", "status", "priority", "department").get(
            pk=ticket.pk
        )
        action.apply(current, rendered(item, current, agent), context)


def _check_fits(macro: Macro, ticket: Ticket) -> None:
    if macro.department_id is not None and macro.department_id != ticket.department_id:
        raise ValidationFailed(
            _("The macro is for another department."),
            fields={"macro_id": _("Macro %(id)s is for another department.") % {"id": macro.pk}},
        )


def _count_use(macro: Macro, times: int = 1) -> None:
    Macro.objects.filter(pk=macro.pk).update(
        usage_count=F("usage_count") + times, last_used_at=timezone.now()
    )


def macro_apply(*, actor: Actor, source: Source, macro_id: int, ticket_id: int) -> Ticket:
    """An agent applies a macro to one ticket they can see; returns the ticket as it is afterwards."""
    macro = macro_get(actor, macro_id)
    ticket = (
        ticket_get(actor.user, ticket_id) if actor.is_agent else Ticket.objects.filter(pk=ticket_id).first()
    )
    if ticket is None:
        raise NotFound(_("No such ticket."))
    _check_fits(macro, ticket)
    with transaction.atomic():
        macro_run(macro, ticket, ActionContext(actor=actor, source=source))
        _count_use(macro)
    return Ticket.objects.get(pk=ticket.pk)


@dataclass
class BulkResult:
    """A selection's outcome: the tickets done, and each refused one with the reason."""

    applied: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def macro_apply_bulk(*, actor: Actor, source: Source, macro_id: int, ticket_ids: list[int]) -> BulkResult:
    """Apply a macro to each ticket of a selection, each in its own transaction."""
    macro = macro_get(actor, macro_id)
    ids = list(dict.fromkeys(ticket_ids))
    if not ids or len(ids) > MAX_SELECTION:
        raise ValidationFailed(
            _("Choose between 1 and %(count)d tickets.") % {"count": MAX_SELECTION},
            fields={"ticket_ids": _("Choose between 1 and %(count)d tickets.") % {"count": MAX_SELECTION}},
        )
    result = BulkResult()
    for ticket_id in ids:
        try:
            macro_apply(actor=actor, source=source, macro_id=macro.pk, ticket_id=ticket_id)
        except ServiceError as exc:
            result.failed[ticket_id] = exc.message
        else:
            result.applied.append(ticket_id)
    return result
