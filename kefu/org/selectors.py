"""Reads about agents and what they may do. ``agent_access`` is what every permission check starts from."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from kefu.core.catalog_cache import cached
from kefu.org import permissions
from kefu.org.models import (
    Agent,
    ApiKey,
    Department,
    HelpdeskSettings,
    Role,
    Team,
    User,
)

_ACCESS_CACHE_ATTRIBUTE = "_kefu_access"


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per request and cached on the user object."""

    is_agent: bool
    permissions: frozenset[str]
    department_ids: frozenset[int]

    @property
    def sees_all_departments(self) -> bool:
        return permissions.TICKET_VIEW_ALL_DEPARTMENTS in self.permissions

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def can_see_department(self, department_id: int | None) -> bool:
        return self.sees_all_departments or department_id in self.department_ids


NO_ACCESS = Access(is_agent=False, permissions=frozenset(), department_ids=frozenset())


def agent_access(user: User | None) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    known = getattr(user, _ACCESS_CACHE_ATTRIBUTE, None)
    if known is not None:
        return known
    # Every request asks; agents, roles and department memberships change rarely, so the answer is kept
    # per process with the catalogue (invalidated by their save signals, see OrgConfig.ready).
    access = cached(("org.access", user.pk, user.is_superuser), lambda: _load_access(user))
    setattr(user, _ACCESS_CACHE_ATTRIBUTE, access)
    return access


def _load_access(user: User) -> Access:
    agent = Agent.objects.select_related("role").filter(user=user).first()
    if agent is None:
        return (
            Access(is_agent=True, permissions=frozenset(permissions.ALL), department_ids=frozenset())
            if user.is_superuser
            else NO_ACCESS
        )
    granted = frozenset(permissions.ALL) if user.is_superuser else frozenset(agent.role.permissions)
    return Access(
        is_agent=True,
        permissions=granted,
        department_ids=frozenset(agent.departments.values_list("id", flat=True)),
    )


def active_department_get(department_id: int) -> Department | None:
    """An active department by id, from the per-process catalogue cache; the caller gets a copy."""
    departments: dict[int, Department] = cached(
        "org.active_departments", lambda: {row.pk: row for row in Department.objects.filter(is_active=True)}
    )
    found = departments.get(department_id)
    return copy.copy(found) if found is not None else None


def department_list(*, active_only: bool = False) -> QuerySet[Department]:
    queryset = Department.objects.order_by("id")
    return queryset.filter(is_active=True) if active_only else queryset


def team_list(*, department_id: int | None = None) -> QuerySet[Team]:
    queryset = Team.objects.order_by("id")
    return queryset.filter(department_id=department_id) if department_id else queryset


def agent_list() -> QuerySet[Agent]:
    return (
        Agent.objects.select_related("user", "role", "invitation_delivery")
        .prefetch_related("departments", "teams", "skills")
        .order_by("user_id")
    )


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True)


def helpdesk_settings() -> HelpdeskSettings:
    """The installation's settings row, from the per-process catalogue cache; the caller gets a copy."""
    return copy.copy(cached("org.helpdesk_settings", HelpdeskSettings.load))


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("id")


def department_get(department_id: int) -> Department | None:
    return Department.objects.filter(pk=department_id).first()


def team_list_with_members() -> QuerySet[Team]:
    return (
        Team.objects.select_related("department")
        .prefetch_related(
            Prefetch("agents", queryset=Agent.objects.select_related("user").order_by("user_id"))
        )
        .order_by("department_id", "name", "id")
    )


def team_get(team_id: int) -> Team | None:
    return team_list_with_members().filter(pk=team_id).first()


def agent_get(agent_id: int) -> Agent | None:
    return agent_list().filter(pk=agent_id).first()


def agent_for_user(user: User) -> Agent | None:
    return Agent.objects.select_related("user").filter(user=user).first()


def agent_time_zone(user: User) -> str | None:
    return Agent.objects.filter(user=user).values_list("time_zone", flat=True).first()


def active_user_get(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()
