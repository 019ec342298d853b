"""Agents: adding, inviting, changing role and membership, deactivating; and an agent's own profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.validation import is_email
from kefu.org import permissions
from kefu.org.models import Agent, Department, InvitationDelivery, Role, Team, User, validate_time_zone
from kefu.org.selectors import agent_access
from kefu.org.services.common import LANGUAGES, require_permission
from kefu.org.services.invitations import invitation_delivery_record, set_password_link


def _check_grant(actor: Actor, role: Role) -> None:
    """An agent may only hand out (or take away) a role whose rights they hold themselves.

    Otherwise a supervisor, who manages agents, could make anyone an administrator.
    """
    if actor.is_agent and not set(role.permissions) <= agent_access(actor.user).permissions:
        raise PermissionDenied(_("You cannot give or change a role with more rights than your own."))


def _check_memberships(errors: dict[str, str], department_ids: list[int], team_ids: list[int]) -> None:
    if Department.objects.filter(pk__in=department_ids).count() != len(department_ids):
        errors["department_ids"] = _("Unknown department.")
    if Team.objects.filter(pk__in=team_ids).count() != len(team_ids):
        errors["team_ids"] = _("Unknown team.")


def _check_locale(errors: dict[str, str], language: str, time_zone: str) -> None:
    if language not in LANGUAGES:
        errors["language"] = _("Unsupported language.")
    try:
        validate_time_zone(time_zone)
    except DjangoValidationError:
        errors["time_zone"] = _("Unknown time zone.")


def agent_create(
    *,
    actor: Actor,
    source: Source,
    email: str,
    name: str,
    role_key: str = permissions.ROLE_AGENT,
    department_ids: Iterable[int] = (),
    team_ids: Iterable[int] = (),
    password: str | None = None,
    language: str = "zh-hans",
    time_zone: str = "Asia/Shanghai",
) -> Agent:
    require_permission(actor, permissions.AGENT_MANAGE)
    email = email.strip().lower()
    department_ids = sorted(set(department_ids))
    team_ids = sorted(set(team_ids))
    errors: dict[str, str] = {}
    if not is_email(email):
        errors["email"] = _("Enter a valid email address.")
    role = Role.objects.filter(key=role_key).first()
    if role is None:
        errors["role"] = _("Unknown role.")
    _check_memberships(errors, department_ids, team_ids)
    _check_locale(errors, language, time_zone)
    if errors:
        raise ValidationFailed(_("The agent is not valid."), fields=errors)
    assert role is not None
    _check_grant(actor, role)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("A user with this email exists."), fields={"email": _("Already in use.")})
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, name=name.strip())
        agent = Agent.objects.create(user=user, role=role, language=language, time_zone=time_zone)
        agent.departments.set(department_ids)
        agent.teams.set(team_ids)
        audit_record(
            actor=actor,
            source=source,
            action="agent.created",
            obj=agent,
            changes={"email": email, "role": role_key, "department_ids": department_ids},
        )
    return agent


def agent_invite(
    *,
    actor: Actor,
    source: Source,
    email: str,
    name: str,
    site_url: str,
    role_key: str = permissions.ROLE_AGENT,
    department_ids: Iterable[int] = (),
    team_ids: Iterable[int] = (),
    language: str = "zh-hans",
    time_zone: str = "Asia/Shanghai",
) -> Agent:
    """Add an agent without a password and e-mail them a link to choose one.

    ``site_url`` is the address people reach the console at (``https://help.example.cn/``); the link is
    built from it after the transaction commits.
    """
    with transaction.atomic():
        agent = agent_create(
            actor=actor,
            source=source,
            email=email,
            name=name,
            role_key=role_key,
            department_ids=department_ids,
            team_ids=team_ids,
            language=language,
            time_zone=time_zone,
        )
        invitation_delivery_record(agent, InvitationDelivery.State.PENDING)
        events.publish(EventType.AGENT_INVITED, user_id=agent.user_id, site_url=site_url)
    return agent


def agent_invite_resend(*, actor: Actor, source: Source, agent_id: int, site_url: str) -> Agent:
    """Send the set-password link again, for an invited agent who has not chosen a password yet."""
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = _agent(agent_id)
    _check_invitable(agent)
    with transaction.atomic():
        audit_record(actor=actor, source=source, action="agent.invitation_resent", obj=agent)
        invitation_delivery_record(agent, InvitationDelivery.State.PENDING)
        events.publish(EventType.AGENT_INVITED, user_id=agent.user_id, site_url=site_url)
    return agent


def agent_invitation_link(*, actor: Actor, source: Source, agent_id: int, site_url: str) -> str:
    """The set-password link of an invited agent, to copy and send another way (chat, phone) when the
    invitation e-mail could not leave. It works once: choosing a password invalidates it. Audited, since
    whoever holds it can take over the account until then."""
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = _agent(agent_id)
    _check_invitable(agent)
    audit_record(actor=actor, source=source, action="agent.invitation_link_copied", obj=agent)
    return set_password_link(site_url, agent.user)


def _check_invitable(agent: Agent) -> None:
    if agent.user.has_usable_password():
        raise Conflict(_("This agent has already chosen a password."))
    if not agent.user.is_active:
        raise Conflict(_("This agent is deactivated."))


def _agent(agent_id: int) -> Agent:
    agent = Agent.objects.select_related("user", "role").filter(pk=agent_id).first()
    if agent is None:
        raise NotFound(_("No such agent."))
    return agent


def _other_active_administrators(agent: Agent) -> bool:
    return (
        Agent.objects.filter(role__key=permissions.ROLE_ADMINISTRATOR, user__is_active=True)
        .exclude(pk=agent.pk)
        .exists()
    )


def agent_update(
    *,
    actor: Actor,
    source: Source,
    agent_id: int,
    name: str,
    role_key: str,
    department_ids: Iterable[int] = (),
    team_ids: Iterable[int] = (),
) -> Agent:
    """Change an agent's name, role, departments and teams. The last administrator keeps the role."""
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = _agent(agent_id)
    department_ids = sorted(set(department_ids))
    team_ids = sorted(set(team_ids))
    errors: dict[str, str] = {}
    role = Role.objects.filter(key=role_key).first()
    if role is None:
        errors["role"] = _("Unknown role.")
    _check_memberships(errors, department_ids, team_ids)
    if len(name.strip()) > 150:
        errors["name"] = _("Enter at most 150 characters.")
    if errors:
        raise ValidationFailed(_("The agent is not valid."), fields=errors)
    assert role is not None
    _check_grant(actor, agent.role)
    _check_grant(actor, role)
    if (
        agent.role.key == permissions.ROLE_ADMINISTRATOR
        and role.key != permissions.ROLE_ADMINISTRATOR
        and agent.user.is_active
        and not _other_active_administrators(agent)
    ):
        raise Conflict(
            _("This is the last administrator. Make someone else an administrator first."),
            fields={"role": _("The last administrator keeps this role.")},
        )
    before = {
        "name": agent.user.name,
        "role": agent.role.key,
        "department_ids": sorted(agent.departments.values_list("id", flat=True)),
        "team_ids": sorted(agent.teams.values_list("id", flat=True)),
    }
    after: dict[str, Any] = {
        "name": name.strip(),
        "role": role.key,
        "department_ids": department_ids,
        "team_ids": team_ids,
    }
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    if not changes:
        return agent
    with transaction.atomic():
        agent.user.name = after["name"]
        agent.user.save(update_fields=["name"])
        agent.role = role
        agent.save(update_fields=["role"])
        agent.departments.set(department_ids)
        agent.teams.set(team_ids)
        audit_record(actor=actor, source=source, action="agent.updated", obj=agent, changes=changes)
    return agent


def agent_set_active(*, actor: Actor, source: Source, agent_id: int, active: bool) -> Agent:
    """Deactivate or reactivate an agent's sign-in.

    Nothing is deleted: their tickets, replies and API keys stay. An inactive user cannot sign in, their
    open sessions stop working (Django refuses inactive users) and their API keys are refused.
    """
    require_permission(actor, permissions.AGENT_MANAGE)
    agent = _agent(agent_id)
    _check_grant(actor, agent.role)
    if agent.user.is_active == active:
        return agent
    if not active:
        if actor.is_agent and actor.id == agent.user_id:
            raise Conflict(_("You cannot deactivate yourself."))
        if agent.role.key == permissions.ROLE_ADMINISTRATOR and not _other_active_administrators(agent):
            raise Conflict(_("This is the last administrator. Make someone else an administrator first."))
    with transaction.atomic():
        agent.user.is_active = active
        agent.user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            source=source,
            action="agent.reactivated" if active else "agent.deactivated",
            obj=agent,
        )
    return agent


def profile_update(
    *,
    actor: Actor,
    source: Source,
    user: User,
    name: str,
    language: str,
    time_zone: str,
    signature: str,
    availability: str,
) -> Agent:
    """An agent changes their own name, language, time zone, reply signature and availability."""
    if actor.is_agent and actor.id != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    agent = Agent.objects.select_related("user").filter(user=user).first()
    if agent is None:
        raise NotFound(_("You have no agent profile."))
    errors: dict[str, str] = {}
    _check_locale(errors, language, time_zone)
    if availability not in Agent.Availability.values:
        errors["availability"] = _("Unknown availability.")
    if len(name.strip()) > 150:
        errors["name"] = _("Enter at most 150 characters.")
    if len(signature) > 2000:
        errors["signature"] = _("Enter at most 2000 characters.")
    if errors:
        raise ValidationFailed(_("The profile is not valid."), fields=errors)
    before = {
        "name": agent.user.name,
        "language": agent.language,
        "time_zone": agent.time_zone,
        "signature": agent.signature,
        "availability": agent.availability,
    }
    after = {
        "name": name.strip(),
        "language": language,
        "time_zone": time_zone,
        "signature": signature.strip(),
        "availability": availability,
    }
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    if not changes:
        return agent
    with transaction.atomic():
        agent.user.name = after["name"]
        agent.user.save(update_fields=["name"])
        agent.language, agent.time_zone = language, time_zone
        agent.signature, agent.availability = after["signature"], availability
        agent.save(update_fields=["language", "time_zone", "signature", "availability"])
        audit_record(actor=actor, source=source, action="agent.profile_updated", obj=agent, changes=changes)
    return agent


def profile_language_set(*, actor: Actor, source: Source, user: User, language: str) -> Agent | None:
    """The console's language switch: the agent's profile language, so that the choice holds at the next
    sign-in and on every device (the cookie alone was overwritten by the profile at sign-in).

    ``None`` for a signed-in user without an agent profile: the cookie is all they have.
    """
    if actor.is_agent and actor.id != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    if language not in LANGUAGES:
        raise ValidationFailed(_("The profile is not valid."), fields={"language": _("Unknown language.")})
    agent = Agent.objects.filter(user=user).first()
    if agent is None or agent.language == language:
        return agent
    with transaction.atomic():
        changes = {"language": [agent.language, language]}
        agent.language = language
        agent.save(update_fields=["language"])
        audit_record(actor=actor, source=source, action="agent.profile_updated", obj=agent, changes=changes)
    return agent


def password_set(*, actor: Actor, source: Source, user: User, password: str) -> User:
    """Store a new password that the caller has already run through Django's password validators.

    Used both by the password change of a signed-in agent and by the set-password link of an
    invitation; the audit entry records which, never the password.
    """
    if actor.is_agent and actor.id != user.pk:
        raise PermissionDenied(_("You can only change your own password."))
    if not password:
        raise ValidationFailed(_("Enter a password."), fields={"password": _("This field is required.")})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, source=source, action="user.password_changed", obj=user)
    return user


def administrator_ensure(*, email: str, password: str, name: str = "") -> Agent:
    """Create an administrator, or make an existing user one and reset the password (``kefu createadmin``).

    The administrator belongs to every department, so the console's department views show all tickets.
    """
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not is_email(email):
        errors["email"] = _("Enter a valid email address.")
    if len(password) < 8:
        errors["password"] = _("Use at least 8 characters.")
    if errors:
        raise ValidationFailed(_("The administrator is not valid."), fields=errors)
    role = Role.objects.get(key=permissions.ROLE_ADMINISTRATOR)
    with transaction.atomic():
        user = User.objects.filter(email=email).first() or User(email=email)
        user.name = name or user.name or email.split("@")[0]
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        agent, _created = Agent.objects.update_or_create(user=user, defaults={"role": role})
        agent.departments.set(Department.objects.all())
        audit_record(
            actor=Actor.system(),
            source=Source.IMPORT,
            action="agent.administrator_ensured",
            obj=agent,
            changes={"email": email},
        )
    return agent
