"""Writes for the organisation: departments, teams, agents and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.validation import is_email
from kefu.org import permissions
from kefu.org.models import Agent, ApiKey, Department, Role, Team, User, validate_time_zone
from kefu.org.selectors import agent_access

API_KEY_PREFIX = "kefu"
LANGUAGES = ("zh-hans", "en")


def require_permission(actor: Actor, permission: str) -> None:
    """Raise unless ``actor`` is a non-agent system actor or an agent holding ``permission``."""
    if not actor.is_agent:
        return
    if not agent_access(actor.user).can(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def department_create(
    *, actor: Actor, source: Source, name: str, code: str, name_en: str = "", description: str = ""
) -> Department:
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors = {}
    if not name.strip():
        errors["name"] = _("This field is required.")
    if not code.strip():
        errors["code"] = _("This field is required.")
    if errors:
        raise ValidationFailed(_("The department is not valid."), fields=errors)
    if Department.objects.filter(code=code).exists():
        raise Conflict(_("A department with this code exists."), fields={"code": _("Already in use.")})
    with transaction.atomic():
        department = Department.objects.create(
            name=name.strip(), name_en=name_en.strip(), code=code.strip(), description=description
        )
        audit_record(actor=actor, source=source, action="department.created", obj=department)
    return department


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
    if len(Department.objects.filter(pk__in=department_ids)) != len(department_ids):
        errors["department_ids"] = _("Unknown department.")
    if len(Team.objects.filter(pk__in=team_ids)) != len(team_ids):
        errors["team_ids"] = _("Unknown team.")
    if language not in LANGUAGES:
        errors["language"] = _("Unsupported language.")
    try:
        validate_time_zone(time_zone)
    except DjangoValidationError:
        errors["time_zone"] = _("Unknown time zone.")
    if errors:
        raise ValidationFailed(_("The agent is not valid."), fields=errors)
    if User.objects.filter(email=email).exists():
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


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(*, actor: Actor, source: Source, user: User, name: str) -> tuple[ApiKey, str]:
    """Create a key for ``user``; returns the key and the secret, which is shown once and never stored."""
    if actor.is_agent and actor.id != user.pk:
        require_permission(actor, permissions.AGENT_MANAGE)
    if not user.is_active:
        raise ValidationFailed(_("The user is deactivated."), fields={"user": _("Deactivated.")})
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            user=user, name=name.strip()[:100] or "API", prefix=prefix, digest=_digest(secret)
        )
        audit_record(
            actor=actor, source=source, action="api_key.created", obj=key, changes={"user_id": user.pk}
        )
    return key, secret


def api_key_revoke(*, actor: Actor, source: Source, key_id: int) -> ApiKey:
    key = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound(_("No such API key."))
    if actor.is_agent and actor.id != key.user_id:
        require_permission(actor, permissions.AGENT_MANAGE)
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, source=source, action="api_key.revoked", obj=key)
    return key


def api_key_authenticate(secret: str) -> User | None:
    """Return the active user owning ``secret``, or None. Compares digests in constant time."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    if not (parts[1].isascii() and parts[1].isalnum()):
        return None  # prefixes are hex; anything else (a NUL…) must not reach the database
    key = ApiKey.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(secret)) or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        # Written at most once a minute so that a busy integration does not turn every read into a write.
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user


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
