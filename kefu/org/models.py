"""The organisation that runs the help desk: people, their departments and teams, roles and brands."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in matches the email address whatever its case."""
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. Agents have an :class:`Agent` profile; the login is the email address."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name or self.email


class Department(BilingualNameMixin):
    """A unit that owns tickets (售后服务, 技术支持 …); agents see the tickets of their departments."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    reopen_within_days = models.PositiveIntegerField(
        _("reopen within (days)"),
        default=14,
        help_text=_(
            "A customer's message on a ticket closed less than this many days ago reopens it; "
            "a later one opens a follow-up ticket."
        ),
    )
    close_parent_with_last_child = models.BooleanField(
        _("close a parent ticket with its last child"),
        default=True,
        help_text=_(
            "When the last open child ticket is closed, its parent ticket in this department closes too."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]


class Team(models.Model):
    """A group of agents inside one department, for assignment and reporting."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="org_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(BilingualNameMixin):
    """A named set of permission codes (see ``org.permissions``)."""

    key = models.SlugField(_("key"), max_length=32, unique=True)
    permissions = models.JSONField(_("permissions"), default=list)
    is_system = models.BooleanField(_("built in"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]


class Agent(models.Model):
    """The working profile of a user who answers tickets."""

    class Availability(models.TextChoices):
        ONLINE = "online", _("Online")
        AWAY = "away", _("Away")
        OFFLINE = "offline", _("Offline")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="agents")
    departments = models.ManyToManyField(Department, related_name="agents", blank=True)
    teams = models.ManyToManyField(Team, related_name="agents", blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    signature = models.TextField(_("signature"), blank=True)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.OFFLINE
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return str(self.user)


class Brand(models.Model):
    """A product line or company the help desk serves, with its own help center at ``/hc/<slug>/``.

    Its departments are the ones its customers may open tickets in; ``allowed_origins`` are the web
    sites (``https://shop.example.com``) that may embed its widget and call its public API.
    """

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    is_default = models.BooleanField(_("default"), default=False)
    default_language = models.CharField(_("default language"), max_length=16, default="zh-hans")
    allowed_origins = models.JSONField(_("allowed origins"), default=list, blank=True)
    departments = models.ManyToManyField(
        Department, related_name="brands", blank=True, verbose_name=_("departments")
    )

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A bearer key for the REST API. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class HelpdeskSettings(models.Model):
    """Installation-wide preferences that administrators change at run time (a single row)."""

    ticket_number_prefix = models.CharField(_("ticket number prefix"), max_length=16, default="#", blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    default_language = models.CharField(_("default language"), max_length=16, default="zh-hans")

    class Meta:
        verbose_name = _("help desk settings")
        verbose_name_plural = _("help desk settings")

    def __str__(self) -> str:
        return str(_("Help desk settings"))

    @classmethod
    def load(cls) -> HelpdeskSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class SignInAttempt(models.Model):
    """A failed sign-in, kept in the database so that lock-out holds across every web process.

    Only failures are stored; a successful sign-in deletes the failures of its email address.
    """

    email = models.CharField(_("email"), max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"


class InvitationDelivery(models.Model):
    """What became of the last invitation e-mail sent to an agent.

    The mail leaves after the commit (a consumer of ``agent.invited``), so the page that invited the agent
    cannot know at once; this row lets the agents page say "sent" or "failed, with the reason" and offer
    the set-password link to copy instead.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="invitation_delivery")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    error = models.CharField(_("error"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation e-mail")
        verbose_name_plural = _("invitation e-mails")

    def __str__(self) -> str:
        return f"{self.agent} {self.state}"
