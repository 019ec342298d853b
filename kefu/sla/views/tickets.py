"""The SLA card of the ticket page: the policy that applies and the state of each of its targets."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kefu.org.decorators import agent_required
from kefu.sla.badges import target_label
from kefu.sla.selectors.policies import policy_get, ticket_timers
from kefu.tickets.selectors import ticket_get


@agent_required()
def ticket_card(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get(request.user, ticket_id)
    if ticket is None:
        raise Http404
    policy = policy_get(ticket.sla_policy_id) if ticket.sla_policy_id else None
    now = timezone.now()
    rows = []
    for timer in ticket_timers(ticket.pk):
        if timer.met is True:
            state, tone = "met", "green"
        elif timer.met is False:
            state, tone = "missed", "red"
        elif timer.paused_at is not None:
            state, tone = "paused", "secondary"
        elif timer.stopped_at is not None:
            state, tone = "stopped", "secondary"
        elif timer.due_at is not None and timer.due_at <= now:
            state, tone = "overdue", "red"
        else:
            state, tone = "running", "azure"
        rows.append(
            {
                "label": target_label(timer.target),
                "due_at": timer.due_at if timer.paused_at is None and timer.stopped_at is None else None,
                "state": state,
                "tone": tone,
                "minutes": timer.minutes,
                "business": timer.business,
            }
        )
    return render(
        request, "sla/partials/ticket_card.html", {"ticket": ticket, "policy": policy, "rows": rows}
    )
