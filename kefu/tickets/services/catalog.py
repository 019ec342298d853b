"""The status, priority and ticket-type catalogues administrators edit in the settings pages.

Exactly one active status and one active priority are the default for new tickets: making one the
default takes the mark from the others, and the current default can be neither un-marked nor deactivated
(choose another default instead), so ticket creation always finds one. A ticket's type is optional, so
the type catalogue has at most one default and may have none.

A status's type is fixed once a ticket has or had the status: resolution and on-hold times are computed
from the types in the ticket history, which must not change after the fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.core.validation import clean_catalogue_names
from kefu.org import permissions
from kefu.org.services import require_permission
from kefu.tickets.models import Priority, Status, StatusType, Ticket, TicketEvent, TicketType

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _clean_common(
    errors: dict[str, str], *, name: str, name_en: str, order: int, is_default: bool, is_active: bool
) -> dict[str, Any]:
    values = clean_catalogue_names(errors, name=name, name_en=name_en, order=order)
    if is_default and not is_active:
        errors["is_active"] = _("The default must be active.")
    values.update(is_default=is_default, is_active=is_active)
    return values


def _save(
    *,
    actor: Actor,
    source: Source,
    model: type[Any],
    instance: Any | None,
    values: dict[str, Any],
    label: str,
    default_required: bool = True,
) -> Any:
    """Create or update one catalogue row, keep one default (at most one) and write the audit entry."""
    clash = model.objects.filter(name__iexact=values["name"])
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
        if default_required and instance.is_default and not values["is_default"]:
            raise ValidationFailed(
                _("There must be a default. Make another one the default instead."),
                fields={"is_default": _("Make another one the default instead.")},
            )
    if clash.exists():
        raise Conflict(_("This name is already in use."), fields={"name": _("Already in use.")})
    with transaction.atomic():
        if instance is None:
            instance = model.objects.create(**values)
            changes = dict(values)
            action = f"{label}.created"
        else:
            changes = {
                field: [getattr(instance, field), value]
                for field, value in values.items()
                if getattr(instance, field) != value
            }
            if not changes:
                return instance
            for field, value in values.items():
                setattr(instance, field, value)
            instance.save(update_fields=list(values))
            action = f"{label}.updated"
        if values["is_default"]:
            model.objects.filter(is_default=True).exclude(pk=instance.pk).update(is_default=False)
        audit_record(actor=actor, source=source, action=action, obj=instance, changes=changes)
    return instance


def _clean_status_type(errors: dict[str, str], *, status_type: str) -> dict[str, Any]:
    if status_type not in StatusType.values:
        errors["status_type"] = _("Choose open, on hold or closed.")
    return {"status_type": status_type}


def status_usage_count(status_id: int) -> int:
    """How many tickets (trashed ones too) have the status now or had it at some point of their history.

    The history holds a status as ``{"id", "name", "type"}`` in a ``status`` event's old and new value,
    and under ``status`` in the ``created`` event's new value. Key lookups work on SQLite and PostgreSQL.
    """
    in_history = TicketEvent.objects.filter(
        (Q(field="status") & (Q(old_value__id=status_id) | Q(new_value__id=status_id)))
        | Q(new_value__status__id=status_id)
    ).values("ticket_id")
    return Ticket.objects.filter(Q(status_id=status_id) | Q(pk__in=in_history)).count()


def _keep_status_type_in_use(instance: Any, values: dict[str, Any]) -> None:
    """Refuse to change the type of a status that tickets or their history use."""
    if instance is None or values["status_type"] == instance.status_type:
        return
    count = status_usage_count(instance.pk)
    if count:
        message = ngettext(
            "%(count)d ticket has or had this status, so its type cannot change. "
            "Add a new status with the type you need instead.",
            "%(count)d tickets have or had this status, so its type cannot change. "
            "Add a new status with the type you need instead.",
            count,
        ) % {"count": count}
        raise Conflict(message, fields={"status_type": message})


def _clean_colour(errors: dict[str, str], *, colour: str) -> dict[str, Any]:
    colour = colour.strip().lower()
    if not _COLOUR.match(colour):
        errors["colour"] = _("Enter a colour as #rrggbb.")
    return {"colour": colour}


@dataclass(frozen=True)
class _Catalogue:
    """What differs between the status and the priority catalogue; the rest is shared."""

    model: type[Any]
    label: str
    invalid: Promise
    missing: Promise
    clean_extra: Callable[..., dict[str, Any]]
    check: Callable[[Any, dict[str, Any]], None] | None = None
    default_required: bool = True


_STATUS = _Catalogue(
    Status,
    "status",
    gettext_lazy("The status is not valid."),
    gettext_lazy("No such status."),
    _clean_status_type,
    _keep_status_type_in_use,
)
_PRIORITY = _Catalogue(
    Priority,
    "priority",
    gettext_lazy("The priority is not valid."),
    gettext_lazy("No such priority."),
    _clean_colour,
)
_TYPE = _Catalogue(
    TicketType,
    "ticket_type",
    gettext_lazy("The ticket type is not valid."),
    gettext_lazy("No such ticket type."),
    lambda errors: {},
    default_required=False,
)


def _catalogue_save(
    spec: _Catalogue,
    *,
    actor: Actor,
    source: Source,
    pk: int | None,
    extra: dict[str, Any],
    name: str,
    name_en: str,
    order: int,
    is_default: bool,
    is_active: bool,
) -> Any:
    """Check permission, load the row to update (pk) or none (create), validate, then save."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    instance = None
    if pk is not None:
        instance = spec.model.objects.filter(pk=pk).first()
        if instance is None:
            raise NotFound(str(spec.missing))
    errors: dict[str, str] = {}
    values = _clean_common(
        errors, name=name, name_en=name_en, order=order, is_default=is_default, is_active=is_active
    )
    values.update(spec.clean_extra(errors, **extra))
    if errors:
        raise ValidationFailed(str(spec.invalid), fields=errors)
    if spec.check is not None:
        spec.check(instance, values)
    return _save(
        actor=actor,
        source=source,
        model=spec.model,
        instance=instance,
        values=values,
        label=spec.label,
        default_required=spec.default_required,
    )


def status_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    status_type: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> Status:
    return _catalogue_save(
        _STATUS,
        actor=actor,
        source=source,
        pk=None,
        extra={"status_type": status_type},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )


def status_update(
    *,
    actor: Actor,
    source: Source,
    status_id: int,
    name: str,
    status_type: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> Status:
    return _catalogue_save(
        _STATUS,
        actor=actor,
        source=source,
        pk=status_id,
        extra={"status_type": status_type},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )


def priority_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    colour: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> Priority:
    return _catalogue_save(
        _PRIORITY,
        actor=actor,
        source=source,
        pk=None,
        extra={"colour": colour},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )


def priority_update(
    *,
    actor: Actor,
    source: Source,
    priority_id: int,
    name: str,
    colour: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> Priority:
    return _catalogue_save(
        _PRIORITY,
        actor=actor,
        source=source,
        pk=priority_id,
        extra={"colour": colour},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )


def ticket_type_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> TicketType:
    return _catalogue_save(
        _TYPE,
        actor=actor,
        source=source,
        pk=None,
        extra={},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )


def ticket_type_update(
    *,
    actor: Actor,
    source: Source,
    type_id: int,
    name: str,
    name_en: str = "",
    order: int = 0,
    is_default: bool = False,
    is_active: bool = True,
) -> TicketType:
    return _catalogue_save(
        _TYPE,
        actor=actor,
        source=source,
        pk=type_id,
        extra={},
        name=name,
        name_en=name_en,
        order=order,
        is_default=is_default,
        is_active=is_active,
    )
