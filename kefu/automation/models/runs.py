"""The execution log: each time a rule matched a ticket, what it did or why it could not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleRun(models.Model):
    """One matched rule on one ticket: the actions' outcome, for the rule's page and for support.

    The ticket's own history shows the changes themselves (their events name the rule as the actor);
    this log adds what the history cannot: errors, the loop guard, rules that matched but changed nothing.
    """

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        NO_CHANGE = "no_change", _("Matched, nothing to change")
        ERROR = "error", _("Error")
        DEPTH_LIMIT = "depth_limit", _("Stopped by the loop guard")

    workflow_rule = models.ForeignKey(
        "automation.WorkflowRule", on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    time_rule = models.ForeignKey(
        "automation.TimeRule", on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    change_set = models.CharField(
        max_length=32, blank=True, help_text=_("The change-set that triggered the rule.")
    )
    depth = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        indexes = [
            models.Index(fields=["workflow_rule", "created_at"], name="rulerun_workflow_idx"),
            models.Index(fields=["time_rule", "created_at"], name="rulerun_time_idx"),
            models.Index(fields=["ticket", "created_at"], name="rulerun_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.ticket_id}"
