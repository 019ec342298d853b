"""Assignment rules: who gets the new tickets of a department, decided once by the team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRule(models.Model):
    """One way of handing out the tickets of a department that match ``criteria``.

    The rules of a department are tried in ``order``; the first whose criteria match a new (or moved)
    unassigned ticket decides its assignee. The pool of candidates is ``agents`` in their ``position``
    order, else the members of ``team``, else every agent of the department — the last two
    alphabetically, as the seed describes. ``pointer`` remembers whose turn was last.
    """

    class Type(models.TextChoices):
        DIRECT = "direct", _("Direct")
        ROUND_ROBIN = "round_robin", _("Round-robin")
        LOAD_BALANCED = "load_balanced", _("Load-balanced")
        SKILLS = "skills", _("By skills")

    class Fallback(models.TextChoices):
        UNASSIGNED = "unassigned", _("Leave unassigned and flag it")
        TEAM = "team", _("Assign to a team")
        AGENT = "agent", _("Assign to an agent")

    name = models.CharField(_("name"), max_length=150)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        related_name="assignment_rules",
        verbose_name=_("department"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.ROUND_ROBIN)
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Direct: the team that gets the ticket. Otherwise: share among this team's members."),
    )
    skills = models.ManyToManyField(
        "automation.Skill", blank=True, related_name="assignment_rules", verbose_name=_("required skills")
    )
    skip_unavailable = models.BooleanField(_("skip agents who are away or offline"), default=False)
    cap = models.PositiveIntegerField(_("open tickets per agent at most"), null=True, blank=True)
    fallback = models.CharField(
        _("fallback"), max_length=16, choices=Fallback.choices, default=Fallback.UNASSIGNED
    )
    fallback_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback team"),
    )
    fallback_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback agent"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["department_id", "order", "id"]
        indexes = [models.Index(fields=["department", "enabled", "order"], name="assignrule_dept_order_idx")]

    def __str__(self) -> str:
        return self.name


class AssignmentRuleAgent(models.Model):
    """An agent chosen for a rule, at its place in the rule's round-robin order (``agent_ids`` in the API)."""

    rule = models.ForeignKey(AssignmentRule, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["rule_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "user"], name="assignrule_agent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}#{self.position}: {self.user_id}"


class AssignmentPointer(models.Model):
    """Whose turn was last under a rule: the row every assignment locks, so no turn is handed out twice.

    Kept apart from the rule so that editing a rule and handing out tickets never wait on each other.
    ``turns`` counts the tickets handed out, for the settings page.
    """

    rule = models.OneToOneField(
        AssignmentRule, on_delete=models.CASCADE, related_name="pointer", primary_key=True
    )
    last_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    turns = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.last_user_id} ({self.turns})"
