"""What every kind of rule stores: a name, a scope, a place in the order, criteria and actions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleBase(models.Model):
    """A named, ordered definition: when its criteria match a ticket, its actions are applied.

    ``criteria`` is the criteria engine's JSON (``{"all": [...]}``) and ``actions`` a list of
    ``{"type": ...}`` objects of the action registry; both are validated by the services on save and
    stored in their cleaned form (names resolved to ids).
    """

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Empty: tickets of every department."),
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    criteria = models.JSONField(_("conditions"), default=dict, blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
