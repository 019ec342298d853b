"""Who may see and change a shared-or-personal item (a canned reply, a macro).

A shared item serves every agent of its department, or every agent when it has none; a personal one only
its owner. Shared items are the team's: changing them takes ``settings.manage``. An item an agent may not
see is as unknown to them as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kefu.core.actors import Actor
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.models import Department
from kefu.org.selectors import agent_access


def visible_q(user: Any) -> Q:
    """The items ``user`` may use: their own, and the shared ones of a department they work in."""
    access = agent_access(user)
    if not access.is_agent:
        return Q(pk__in=[])
    shared = Q(owner__isnull=True)
    if not access.sees_all_departments:
        shared &= Q(department__isnull=True) | Q(department_id__in=access.department_ids)
    return shared | Q(owner_id=user.pk)


def may_see(user: Any, item: Any) -> bool:
    access = agent_access(user)
    if not access.is_agent:
        return False
    if item.owner_id is not None:
        return bool(item.owner_id == user.pk)
    return item.department_id is None or access.can_see_department(item.department_id)


def check_change(actor: Actor, *, shared: bool, owner_id: int | None) -> None:
    """Shared items need ``settings.manage``; a personal one only its owner may change."""
    if not actor.is_agent:
        return
    if shared:
        if not agent_access(actor.user).can(permissions.SETTINGS_MANAGE):
            raise PermissionDenied(_("Only administrators can change shared items."))
    elif owner_id != actor.id:
        raise PermissionDenied(_("You do not have permission to do this."))


def clean_department(errors: dict[str, str], actor: Actor, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id).first()
    if department is None or (
        actor.is_agent and not agent_access(actor.user).can_see_department(department_id)
    ):
        errors["department_id"] = _("Unknown department %(id)s.") % {"id": department_id}
        return None
    return department


def not_valid(message: str, errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(message, fields=errors)
