"""Saving ticket lists: an agent's own views, and views shared with every agent.

A view's conditions are criteria (the JSON workflow and time rules use), checked by the criteria engine
on save: a bad condition is named by its path (``criteria.all[2].value``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.criteria import clean_criteria
from kefu.tickets.listing import DUE_CHOICES, SYSTEM_VIEWS, clean_columns, clean_sort
from kefu.tickets.models import SavedView

_NAME_LIMIT = 100


def _clean(
    actor: Actor,
    *,
    name: str,
    criteria: Any,
    base: str,
    due: str,
    columns: Sequence[str],
    sort: str,
    is_shared: bool,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = " ".join(str(name).split())
    if not name:
        errors["name"] = _("Give the view a name.")
    elif len(name) > _NAME_LIMIT:
        errors["name"] = _("Enter at most %(limit)d characters.") % {"limit": _NAME_LIMIT}
    cleaned_criteria, criteria_errors = clean_criteria(criteria, viewer_id=actor.user.pk)
    errors.update(criteria_errors)
    if base and base not in SYSTEM_VIEWS:
        errors["base"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(SYSTEM_VIEWS)}
    if due and due not in DUE_CHOICES:
        errors["due"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(DUE_CHOICES)}
    cleaned_columns, column_error = clean_columns(list(columns))
    if column_error:
        errors["columns"] = column_error
    cleaned_sort, sort_error = clean_sort(sort)
    if sort_error:
        errors["sort"] = sort_error
    if is_shared and not agent_access(actor.user).can(permissions.SETTINGS_MANAGE):
        errors["is_shared"] = _("Only administrators can share views with every agent.")
    if errors:
        raise ValidationFailed(_("The view is not valid."), fields=errors)
    return {
        "name": name,
        "criteria": cleaned_criteria,
        "base": base or "",
        "due": due or "",
        "columns": list(cleaned_columns),
        "sort": cleaned_sort,
        "is_shared": bool(is_shared),
    }


def _require_agent(actor: Actor) -> None:
    if not actor.is_agent or not agent_access(actor.user).is_agent:
        raise PermissionDenied(_("Only agents have ticket views."))


def _authorize_change(actor: Actor, view: SavedView) -> None:
    """The owner changes their view; a shared view may also be changed by whoever may share views."""
    _require_agent(actor)
    if view.owner_id == actor.user.pk:
        return
    if not view.is_shared:
        raise NotFound(_("No such view."))
    if not agent_access(actor.user).can(permissions.SETTINGS_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


def _snapshot(view: SavedView) -> dict[str, Any]:
    return {
        "name": view.name,
        "criteria": view.criteria,
        "base": view.base,
        "due": view.due,
        "columns": view.columns,
        "sort": view.sort,
        "is_shared": view.is_shared,
    }


def saved_view_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    criteria: Mapping[str, Any] | None = None,
    base: str = "",
    due: str = "",
    columns: Sequence[str] = (),
    sort: str = "",
    is_shared: bool = False,
) -> SavedView:
    """Save a list for the acting agent (``is_shared``: for every agent, which needs settings.manage).

    ``criteria``: the view's conditions (``None`` or ``{}``: every ticket); ``base``: a system view it
    narrows; ``due``: ``overdue`` or ``today``.
    """
    _require_agent(actor)
    values = _clean(
        actor,
        name=name,
        criteria=criteria,
        base=base,
        due=due,
        columns=columns,
        sort=sort,
        is_shared=is_shared,
    )
    with transaction.atomic():
        view = SavedView.objects.create(owner=actor.user, **values)
        audit_record(actor=actor, source=source, action="saved_view.created", obj=view, changes=values)
    return view


def saved_view_update(
    *,
    actor: Actor,
    source: Source,
    view: SavedView,
    name: str,
    criteria: Mapping[str, Any] | None = None,
    base: str = "",
    due: str = "",
    columns: Sequence[str] = (),
    sort: str = "",
    is_shared: bool = False,
) -> SavedView:
    """Replace a view's name, conditions, base view, due filter, columns, sort and sharing."""
    _authorize_change(actor, view)
    values = _clean(
        actor,
        name=name,
        criteria=criteria,
        base=base,
        due=due,
        columns=columns,
        sort=sort,
        is_shared=is_shared,
    )
    with transaction.atomic():
        before = _snapshot(view)
        for key, value in values.items():
            setattr(view, key, value)
        view.save()
        changes = {key: [before[key], value] for key, value in values.items() if before[key] != value}
        audit_record(actor=actor, source=source, action="saved_view.updated", obj=view, changes=changes)
    return view


def saved_view_delete(*, actor: Actor, source: Source, view: SavedView) -> None:
    _authorize_change(actor, view)
    with transaction.atomic():
        audit_record(
            actor=actor, source=source, action="saved_view.deleted", obj=view, changes=_snapshot(view)
        )
        view.delete()
