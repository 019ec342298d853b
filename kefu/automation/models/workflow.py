"""Workflow rules: what happens to a ticket right after something happened to it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.automation.models.base import RuleBase


class Trigger(models.TextChoices):
    CREATED = "created", _("Ticket created")
    UPDATED = "updated", _("Ticket updated")
    CUSTOMER_MESSAGE = "customer_message", _("Customer message received")
    AGENT_REPLY = "agent_reply", _("Reply sent to the customer")
    COMMENT = "comment", _("Comment added")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Ticket assigned")


class WorkflowRule(RuleBase):
    """A rule run inside the transaction of a ticket change whose kind is its ``trigger``.

    ``trigger_fields`` narrows the ``updated`` trigger to changes of those fields (API names); empty
    means any field. Rules run in ``order``; a ``stop`` action ends the run for that change.
    """

    trigger = models.CharField(_("trigger"), max_length=32, choices=Trigger.choices)
    trigger_fields = models.JSONField(_("trigger fields"), default=list, blank=True)

    class Meta(RuleBase.Meta):
        verbose_name = _("workflow rule")
        verbose_name_plural = _("workflow rules")
