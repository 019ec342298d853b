"""Reads about agents and what they may do. ``agent_access`` is what every permission check starts from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kefu.org import permissions
from kefu.org.models import Agent, ApiKey, Department, HelpdeskSettings, Team, User

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
    cached = getattr(user, _ACCESS_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    agent = Agent.objects.select_related("role").filter(user=user).first()
    if agent is None:
        access = (
            Access(is_agent=True, permissions=frozenset(permissions.ALL), department_ids=frozenset())
            if user.is_superuser
            else NO_ACCESS
        )
    else:
        granted = frozenset(permissions.ALL) if user.is_superuser else frozenset(agent.role.permissions)
        access = Access(
            is_agent=True,
            permissions=granted,
            department_ids=frozenset(agent.departments.values_list("id", flat=True)),
        )
    setattr(user, _ACCESS_CACHE_ATTRIBUTE, access)
    return access


def department_list(*, active_only: bool = False) -> QuerySet[Department]:
    queryset = Department.objects.order_by("id")
    return queryset.filter(is_active=True) if active_only else queryset


def team_list(*, department_id: int | None = None) -> QuerySet[Team]:
    queryset = Team.objects.order_by("id")
    return queryset.filter(department_id=department_id) if department_id else queryset


def agent_list() -> QuerySet[Agent]:
    return (
        Agent.objects.select_related("user", "role")
        .prefetch_related("departments", "teams")
        .order_by("user_id")
    )


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True)


def helpdesk_settings() -> HelpdeskSettings:
    return HelpdeskSettings.load()


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
