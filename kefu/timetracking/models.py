"""Time spent on tickets: logged entries and the one running timer an agent may have."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeEntry(models.Model):
    """Minutes an agent spent on a ticket on one day, billable to the customer or not.

    Written by hand (an agent logs what they did) or by stopping a timer. The ticket is referenced by
    id through the ORM only; this app reads tickets through ``kefu.tickets.selectors``.
    """

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="time_entries")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    minutes = models.PositiveIntegerField()
    date = models.DateField()
    billable = models.BooleanField(default=True)
    note = models.TextField(blank=True, default="")
    from_timer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["ticket", "date"], name="timeentry_ticket_date"),
            models.Index(fields=["agent", "date"], name="timeentry_agent_date"),
        ]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")

    def __str__(self) -> str:
        return f"{self.minutes} min · ticket {self.ticket_id}"


class RunningTimer(models.Model):
    """The timer an agent started on a ticket and has not stopped yet: at most one per agent.

    Stopping it turns the time since ``started_at`` into a :class:`TimeEntry`.
    """

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="running_timer"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="running_timers")
    started_at = models.DateTimeField()

    class Meta:
        verbose_name = _("running timer")
        verbose_name_plural = _("running timers")

    def __str__(self) -> str:
        return f"timer of {self.agent_id} on ticket {self.ticket_id}"
