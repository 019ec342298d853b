"""Tasks: to-dos for agents, on a ticket (its checklist) or on their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskPriority(models.TextChoices):
    LOW = "low", pgettext_lazy("task priority", "Low")
    NORMAL = "normal", pgettext_lazy("task priority", "Normal")
    HIGH = "high", pgettext_lazy("task priority", "High")
    URGENT = "urgent", pgettext_lazy("task priority", "Urgent")


class Task(models.Model):
    """Something an agent has to do, by a time or not: call the customer back, order a part.

    A task on a ticket is one item of that ticket's checklist and is seen by whoever sees the ticket;
    a task on its own is seen by its creator, its assignee and administrators.
    """

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    priority = models.CharField(max_length=16, choices=TaskPriority.choices, default=TaskPriority.NORMAL)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["done", "due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "done", "due_at"], name="task_assignee_due"),
            models.Index(fields=["ticket", "done"], name="task_ticket_done"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title
