"""Who may do what to a ticket: an explicit allow-list for every kind of actor.

- An **agent** needs the ticket's department (or every department) and the role permission behind the
  operation.
- A **contact** (a customer in the help center, the widget or by email) may only open tickets, write
  to, close and rate its own tickets — those it requested, those it is in CC of, and those of its
  account when the account shares tickets. Any other ticket is as unknown to it as a missing one.
- A **rule**, an **SLA** or a **blueprint** may only do what its definitions can ask for.
- The **system** (channels' plumbing, imports, the demo) does the technical operations nobody else may.

No kind is let through by default: an operation missing from a kind's list is refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.core.actors import Actor, ActorKind
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.org import permissions
from kefu.org.selectors import agent_access
from kefu.tickets.models import Ticket
from kefu.tickets.selectors import contact_may_write

# Operations beyond the role permissions of agents.
TICKET_RECEIVE = "ticket.receive"
"""Record a customer's message (an agent logging one needs the reply right)."""
TICKET_CLOSE = "ticket.close"
TICKET_RATE = "ticket.rate"
TICKET_ATTACH = "ticket.attach"
TICKET_CC = "ticket.cc"
TICKET_FOLLOW = "ticket.follow"
TICKET_MERGE = "ticket.merge"
"""Merge tickets into another, split a message off, undo a merge: the edit right, so not light agents."""
TICKET_DELIVERY = "ticket.delivery"
"""Record what became of an outgoing message: the sending flow's own business."""

_AGENT_PERMISSION = {
    TICKET_RECEIVE: permissions.TICKET_REPLY,
    TICKET_CLOSE: permissions.TICKET_EDIT,
    TICKET_RATE: permissions.TICKET_EDIT,
    TICKET_ATTACH: permissions.TICKET_COMMENT,
    TICKET_CC: permissions.TICKET_EDIT,
    TICKET_FOLLOW: None,
    TICKET_MERGE: permissions.TICKET_EDIT,
    TICKET_DELIVERY: None,
}
_AGENT_ONLY_SYSTEM = {TICKET_DELIVERY}
_RULE_OPERATIONS = frozenset(
    {
        permissions.TICKET_EDIT,
        permissions.TICKET_ASSIGN,
        permissions.TICKET_REPLY,
        permissions.TICKET_COMMENT,
        permissions.TICKET_COMMENT_PUBLIC,
        TICKET_CLOSE,
        TICKET_CC,
        TICKET_FOLLOW,
    }
)
ALLOWED: dict[ActorKind, frozenset[str]] = {
    ActorKind.CONTACT: frozenset(
        {permissions.TICKET_CREATE, TICKET_RECEIVE, TICKET_CLOSE, TICKET_RATE, TICKET_ATTACH}
    ),
    ActorKind.RULE: _RULE_OPERATIONS,
    ActorKind.BLUEPRINT: _RULE_OPERATIONS,
    ActorKind.SLA: frozenset(
        {permissions.TICKET_EDIT, permissions.TICKET_ASSIGN, permissions.TICKET_COMMENT, TICKET_FOLLOW}
    ),
    ActorKind.SYSTEM: frozenset(
        {
            permissions.TICKET_CREATE,
            permissions.TICKET_EDIT,
            permissions.TICKET_ASSIGN,
            permissions.TICKET_REPLY,
            permissions.TICKET_COMMENT,
            permissions.CONTACT_MANAGE,
            TICKET_RECEIVE,
            TICKET_CLOSE,
            TICKET_ATTACH,
            TICKET_CC,
            TICKET_DELIVERY,
        }
    ),
}


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission to do this."))


def _not_found() -> NotFound:
    return NotFound(_("No such ticket."))


def _authorize_agent(actor: Actor, ticket: Ticket | None, operation: str | None) -> None:
    if operation in _AGENT_ONLY_SYSTEM:
        raise _denied()
    access = agent_access(actor.user)
    if ticket is not None and (
        ticket.deleted_at is not None or not access.can_see_department(ticket.department_id)
    ):
        raise _not_found()
    permission = _AGENT_PERMISSION.get(operation, operation) if operation is not None else None
    if permission is not None and not access.can(permission):
        raise _denied()


def authorize(actor: Actor, ticket: Ticket | None, operation: str | None) -> None:
    """Raise ``NotFound`` for a ticket the actor may not know of, ``PermissionDenied`` for the rest.

    ``operation`` is a role permission code or one of the operations above; ``None`` asks only
    whether the actor may see the ticket.
    """
    if actor.kind is ActorKind.AGENT:
        _authorize_agent(actor, ticket, operation)
        return
    if ticket is not None and ticket.deleted_at is not None:
        raise _not_found()
    if (
        actor.kind is ActorKind.CONTACT
        and ticket is not None
        and not contact_may_write(actor.id or 0, ticket)
    ):
        raise _not_found()
    allowed = ALLOWED.get(actor.kind, frozenset())
    if operation is not None and operation not in allowed:
        raise _denied()
    if operation is None and not allowed:
        raise _denied()


def authorize_parent(actor: Actor, parent: Ticket | None) -> None:
    """A parent ticket in a department the agent cannot see is as unknown to them as a missing one."""
    if not actor.is_agent or parent is None:
        return
    if not agent_access(actor.user).can_see_department(parent.department_id):
        raise ValidationFailed(
            _("The ticket is not valid."), fields={"parent_id": _("Unknown id %(id)s.") % {"id": parent.pk}}
        )
