"""SLA policies and the timers they run on tickets.

A **policy** belongs to a department and says, per priority, how long the first response, every next
response and the resolution may take (``SlaTarget``), in business or calendar time, and what happens
around each due date (``SlaEscalation``: several levels per target, each a list of automation actions).
The first enabled policy of the ticket's department (in ``order``) whose criteria match applies.

A **timer** (``SlaTimer``) is one target's clock on one ticket; ``SlaEscalationFire`` remembers which
escalation level fired for which timer episode (so none fires twice), and ``SlaMetrics`` keeps per ticket
what reports read: response and resolution times in business and calendar minutes, time on hold and
whether each target was met.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", _("Resolution")


class SlaPolicy(models.Model):
    """The promise a department makes for the tickets its criteria match (e.g. "VIP customers").

    ``criteria`` is the criteria engine's JSON, stored cleaned; empty matches every ticket.
    ``business_hours_id`` names the calendar its business-time targets count in; empty: the
    department's calendar (24×7 when the department has none).
    """

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="sla_policies", verbose_name=_("department")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("enabled"), default=True)
    criteria = models.JSONField(_("conditions"), default=dict, blank=True)
    business_hours = models.ForeignKey(
        "sla.BusinessCalendar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("business hours"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["department_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """The minutes a policy allows for tickets of one priority; an empty target is not measured."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    priority = models.ForeignKey("tickets.Priority", on_delete=models.CASCADE, related_name="+")
    first_response_minutes = models.PositiveIntegerField(_("first response (minutes)"), null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(_("next response (minutes)"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"), null=True, blank=True)
    business_time = models.BooleanField(_("business hours"), default=True)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_unique_priority")
        ]

    def __str__(self) -> str:
        return f"{self.policy_id}/{self.priority_id}"


class SlaEscalation(models.Model):
    """One level: ``offset_minutes`` (calendar minutes) before (< 0), at (0) or after (> 0) a target's due
    date, apply ``actions`` (the automation action registry's JSON) to the ticket."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(_("target"), max_length=16, choices=Target.choices)
    offset_minutes = models.IntegerField(_("minutes from the due date"))
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("SLA escalation")
        verbose_name_plural = _("SLA escalations")
        ordering = ["policy_id", "target", "offset_minutes", "id"]

    def __str__(self) -> str:
        return f"{self.target} {self.offset_minutes:+d}"


class SlaTimer(models.Model):
    """One target's clock on one ticket.

    Counted from ``started_at`` in the timer's calendar: it is due when ``minutes + paused_minutes``
    working minutes have passed, ``paused_minutes`` being the working time it spent on hold (or closed,
    before a reopening). ``paused_at`` / ``stopped_at`` are set while on hold / closed; ``met`` is set once
    the target is reached (``True`` in time). ``episode`` counts next-response cycles. ``check_at`` is the
    next moment the escalation sweep must look at the timer (its breach or its next level), ``None`` when
    nothing is pending: the sweep's indexed query reads only that column.
    """

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="sla_timers")
    target = models.CharField(max_length=16, choices=Target.choices)
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, related_name="+")
    episode = models.PositiveIntegerField(default=1)
    minutes = models.FloatField()
    business = models.BooleanField(default=True)
    started_at = models.DateTimeField()
    paused_minutes = models.FloatField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    next_level = models.PositiveIntegerField(default=0)
    check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "target"], name="sla_timer_unique_target")]
        indexes = [models.Index(fields=["check_at"], name="sla_timer_check_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target}"


class SlaEscalationFire(models.Model):
    """An escalation level that fired for a timer's episode: the unique key makes it fire only once."""

    timer = models.ForeignKey(SlaTimer, on_delete=models.CASCADE, related_name="fires")
    episode = models.PositiveIntegerField()
    escalation = models.ForeignKey(SlaEscalation, on_delete=models.CASCADE, related_name="fires")
    fired_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["timer", "episode", "escalation"], name="sla_fire_once")
        ]

    def __str__(self) -> str:
        return f"{self.timer_id}/{self.episode}/{self.escalation_id}"


class SlaMetrics(models.Model):
    """Per ticket, for reports: times in business minutes (the SLA calendar, on-hold time left out) and
    calendar minutes (wall clock from creation), time on hold, and whether each target was met."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="sla_metrics"
    )
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, related_name="+")
    first_response_business_minutes = models.FloatField(null=True, blank=True)
    first_response_calendar_minutes = models.FloatField(null=True, blank=True)
    first_response_met = models.BooleanField(null=True, blank=True)
    resolution_business_minutes = models.FloatField(null=True, blank=True)
    resolution_calendar_minutes = models.FloatField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    next_responses_met = models.PositiveIntegerField(default=0)
    next_responses_breached = models.PositiveIntegerField(default=0)
    on_hold_minutes = models.FloatField(default=0)
    on_hold_business_minutes = models.FloatField(default=0)
    on_hold_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA metrics")
        verbose_name_plural = _("SLA metrics")

    def __str__(self) -> str:
        return str(self.ticket_id)
