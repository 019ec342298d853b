"""Time-based (supervisor) rules and the episodes in which their condition holds for a ticket."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.automation.models.base import RuleBase


class TimeRule(RuleBase):
    """A rule checked every few minutes against every ticket, over the compiled criteria query.

    It acts on a ticket once per *episode*: from the sweep that first finds its criteria true until the
    sweep that finds them false again. "Waiting for the customer for 72 hours → close" fires once, not
    at every sweep while the ticket stays closed-and-waiting.
    """

    class Meta(RuleBase.Meta):
        verbose_name = _("time rule")
        verbose_name_plural = _("time rules")


class TimeRuleEpisode(models.Model):
    """One stretch of time during which a time rule's criteria held for one ticket.

    Open while ``ended_at`` is empty (at most one open episode per rule and ticket); ``fired_at`` is set
    by the conditional UPDATE that claims the episode, so two workers never fire it twice.
    """

    rule = models.ForeignKey(TimeRule, on_delete=models.CASCADE, related_name="episodes")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("time rule episode")
        verbose_name_plural = _("time rule episodes")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "ticket"],
                condition=Q(ended_at__isnull=True),
                name="timeruleepisode_one_open_per_ticket",
            )
        ]
        indexes = [models.Index(fields=["rule", "fired_at"], name="timeruleepisode_rule_fired_idx")]

    def __str__(self) -> str:
        return f"{self.rule_id}@{self.ticket_id}"
