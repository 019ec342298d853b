"""Macros: what a team does by hand again and again, saved as one click."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Macro(models.Model):
    """A named bundle of actions (the rule engine's action objects) that an agent applies to tickets.

    A shared macro serves every agent of ``department`` (every department when it is empty); a personal
    one (``shared`` off) only its ``owner``. Reply and comment texts may hold the placeholders
    ``{{ contact.name }}``, ``{{ ticket.number }}``, ``{{ agent.name }}`` … filled in when applied.
    """

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("department"),
    )
    shared = models.BooleanField(_("shared"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("owner"),
    )
    actions = models.JSONField(_("actions"), default=list)
    usage_count = models.PositiveIntegerField(_("used"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
