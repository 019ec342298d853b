"""Departments and the teams inside them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Agent, Department, Team
from kefu.org.services.common import require_permission, required

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


MAX_REOPEN_DAYS = 3650
DEFAULT_REOPEN_DAYS = 14


def _clean_department(
    errors: dict[str, str],
    *,
    name: str,
    name_en: str,
    description: str,
    reopen_within_days: int,
    close_parent_with_last_child: bool,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": required(errors, "name", name),
        "name_en": name_en.strip(),
        "description": description,
        "reopen_within_days": reopen_within_days,
        "close_parent_with_last_child": bool(close_parent_with_last_child),
    }
    if len(values["name"]) > 100:
        errors["name"] = _("Enter at most 100 characters.")
    if len(values["name_en"]) > 100:
        errors["name_en"] = _("Enter at most 100 characters.")
    if (
        isinstance(reopen_within_days, bool)
        or not isinstance(reopen_within_days, int)
        or not 0 <= reopen_within_days <= MAX_REOPEN_DAYS
    ):
        errors["reopen_within_days"] = _("Enter a number of days between 0 and %(limit)d.") % {
            "limit": MAX_REOPEN_DAYS
        }
    return values


def department_create(
    *,
    actor: Actor,
    source: Source,
    name: str,
    code: str,
    name_en: str = "",
    description: str = "",
    reopen_within_days: int | None = None,
    close_parent_with_last_child: bool = True,
) -> Department:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors: dict[str, str] = {}
    values = _clean_department(
        errors,
        name=name,
        name_en=name_en,
        description=description,
        reopen_within_days=DEFAULT_REOPEN_DAYS if reopen_within_days is None else reopen_within_days,
        close_parent_with_last_child=close_parent_with_last_child,
    )
    code = required(errors, "code", code).lower()
    if code and not _CODE.match(code):
        errors["code"] = _("Use lower-case letters, digits and hyphens (at most 32).")
    if errors:
        raise ValidationFailed(_("The department is not valid."), fields=errors)
    if Department.objects.filter(code=code).exists():
        raise Conflict(_("A department with this code exists."), fields={"code": _("Already in use.")})
    with transaction.atomic():
        department = Department.objects.create(code=code, **values)
        audit_record(actor=actor, source=source, action="department.created", obj=department)
    return department


def department_update(
    *,
    actor: Actor,
    source: Source,
    department_id: int,
    name: str,
    name_en: str = "",
    description: str = "",
    is_active: bool = True,
    reopen_within_days: int | None = None,
    close_parent_with_last_child: bool | None = None,
) -> Department:
    """Rename or (de)activate a department, or change its reopen window or parent-ticket policy. Its code
    is permanent: rules and integrations refer to it. ``None`` keeps the window or policy it has."""
    require_permission(actor, permissions.SETTINGS_MANAGE)
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise NotFound(_("No such department."))
    errors: dict[str, str] = {}
    cleaned = _clean_department(
        errors,
        name=name,
        name_en=name_en,
        description=description,
        reopen_within_days=(
            department.reopen_within_days if reopen_within_days is None else reopen_within_days
        ),
        close_parent_with_last_child=(
            department.close_parent_with_last_child
            if close_parent_with_last_child is None
            else close_parent_with_last_child
        ),
    )
    if errors:
        raise ValidationFailed(_("The department is not valid."), fields=errors)
    values: dict[str, Any] = {**cleaned, "is_active": is_active}
    changes = {
        field: [getattr(department, field), value]
        for field, value in values.items()
        if getattr(department, field) != value
    }
    if not changes:
        return department
    with transaction.atomic():
        for field, value in values.items():
            setattr(department, field, value)
        department.save(update_fields=list(values))
        audit_record(actor=actor, source=source, action="department.updated", obj=department, changes=changes)
    return department


def _clean_team(*, department_id: int, name: str, member_user_ids: Iterable[int]) -> tuple[str, list[int]]:
    """The stripped name and sorted member ids, or ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    name = required(errors, "name", name)
    if len(name) > 100:
        errors["name"] = _("Enter at most 100 characters.")
    if not Department.objects.filter(pk=department_id).exists():
        errors["department_id"] = _("Unknown department.")
    members = sorted(set(member_user_ids))
    if Agent.objects.filter(user_id__in=members).count() != len(members):
        errors["member_user_ids"] = _("Unknown agent.")
    if errors:
        raise ValidationFailed(_("The team is not valid."), fields=errors)
    return name, members


def _unique_team_name(department_id: int, name: str, exclude_id: int | None = None) -> None:
    clash = Team.objects.filter(department_id=department_id, name__iexact=name)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise Conflict(
            _("The department already has a team with this name."), fields={"name": _("Already in use.")}
        )


def _set_members(team: Team, member_user_ids: list[int]) -> None:
    team.agents.set(Agent.objects.filter(user_id__in=member_user_ids))


def team_create(
    *,
    actor: Actor,
    source: Source,
    department_id: int,
    name: str,
    description: str = "",
    member_user_ids: Iterable[int] = (),
) -> Team:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    name, members = _clean_team(department_id=department_id, name=name, member_user_ids=member_user_ids)
    _unique_team_name(department_id, name)
    with transaction.atomic():
        team = Team.objects.create(department_id=department_id, name=name, description=description)
        _set_members(team, members)
        audit_record(
            actor=actor,
            source=source,
            action="team.created",
            obj=team,
            changes={"department_id": department_id, "name": name, "member_user_ids": members},
        )
    return team


def team_update(
    *,
    actor: Actor,
    source: Source,
    team_id: int,
    department_id: int,
    name: str,
    description: str = "",
    member_user_ids: Iterable[int] = (),
) -> Team:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("No such team."))
    name, members = _clean_team(department_id=department_id, name=name, member_user_ids=member_user_ids)
    _unique_team_name(department_id, name, exclude_id=team.pk)
    before = {
        "department_id": team.department_id,
        "name": team.name,
        "description": team.description,
        "member_user_ids": sorted(team.agents.values_list("user_id", flat=True)),
    }
    after = {
        "department_id": department_id,
        "name": name,
        "description": description,
        "member_user_ids": members,
    }
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    if not changes:
        return team
    with transaction.atomic():
        team.department_id, team.name, team.description = department_id, name, description
        team.save(update_fields=["department", "name", "description"])
        _set_members(team, members)
        audit_record(actor=actor, source=source, action="team.updated", obj=team, changes=changes)
    return team


def team_delete(*, actor: Actor, source: Source, team_id: int) -> None:
    """Delete a team that no ticket refers to.

    Clearing the team of existing tickets would change them without a ticket event, so those tickets
    have to be moved first.
    """
    require_permission(actor, permissions.SETTINGS_MANAGE)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("No such team."))
    if team.tickets.exists():
        raise Conflict(_("Tickets still belong to this team. Move them to another team first."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            source=source,
            action="team.deleted",
            obj=team,
            changes={"department_id": team.department_id, "name": team.name},
        )
        team.delete()
