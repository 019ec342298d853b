"""Every ticket service against every kind of actor: the allow-lists of DESIGN.md, "Actors and rights".

Each cell runs one service as one actor on a fresh ticket and checks the outcome: allowed (it works),
denied (``PermissionDenied``, nothing written) or unknown (``NotFound``: a customer asking about someone
else's ticket learns nothing, not even that it exists).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.tickets import services
from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Thread, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

OK, DENIED, UNKNOWN = "ok", "denied", "unknown"
KINDS = ("agent", "own contact", "other contact", "rule", "sla", "blueprint", "system")


def _create(actor: Actor, ticket: Ticket) -> Any:
    requester = ContactRef(contact_id=actor.id) if actor.is_contact else ContactRef(email="new@example.cn")
    return services.ticket_create(
        actor=actor,
        source=Source.API,
        data=TicketCreateInput(
            subject="新工单", description="内容", department_id=ticket.department_id, contact=requester
        ),
    )


def _outbound(ticket: Ticket) -> Thread:
    return services.ticket_reply(
        actor=Actor.system(), source=Source.API, ticket=ticket, data=ReplyInput(body="您好")
    )


Operation = Callable[[Actor, Ticket, Any], Any]
OPERATIONS: dict[str, Operation] = {
    "create": lambda actor, ticket, extra: _create(actor, ticket),
    "edit": lambda actor, ticket, extra: services.ticket_update(
        actor=actor, source=Source.API, ticket=ticket, changes={"priority": "高"}
    ),
    "assign": lambda actor, ticket, extra: services.ticket_assign(
        actor=actor, source=Source.API, ticket=ticket, assignee_id=extra["agent"].user_id
    ),
    "close": lambda actor, ticket, extra: services.ticket_set_status(
        actor=actor, source=Source.API, ticket=ticket, status="已关闭"
    ),
    "delete": lambda actor, ticket, extra: services.ticket_delete(
        actor=actor, source=Source.API, ticket=ticket
    ),
    "reply": lambda actor, ticket, extra: services.ticket_reply(
        actor=actor, source=Source.API, ticket=ticket, data=ReplyInput(body="您好")
    ),
    "receive": lambda actor, ticket, extra: services.ticket_receive(
        actor=actor, source=Source.PORTAL, ticket=ticket, data=MessageInput(body="还是不行")
    ),
    "comment": lambda actor, ticket, extra: services.ticket_comment(
        actor=actor, source=Source.API, ticket=ticket, data=CommentInput(body="备注")
    ),
    "tag": lambda actor, ticket, extra: services.ticket_tag(
        actor=actor, source=Source.API, ticket=ticket, add=["VIP"]
    ),
    "cc": lambda actor, ticket, extra: services.ticket_cc_add(
        actor=actor, source=Source.API, ticket=ticket, contacts=[ContactFactory()]
    ),
    "follow": lambda actor, ticket, extra: services.ticket_follow(
        actor=actor, source=Source.API, ticket=ticket, user=extra["agent"].user
    ),
    "attach": lambda actor, ticket, extra: services.attachment_add(
        actor=actor, source=Source.API, ticket=ticket, filename="a.txt", content=io.BytesIO(b"log")
    ),
    "delivery": lambda actor, ticket, extra: services.thread_delivery_update(
        actor=actor, source=Source.EMAIL, thread=_outbound(ticket), status="sent"
    ),
    "message id": lambda actor, ticket, extra: services.thread_message_id_assign(
        actor=actor, source=Source.EMAIL, thread=_outbound(ticket), message_id="x@kefu.test"
    ),
    "reassign contact": lambda actor, ticket, extra: services.tickets_reassign_contact(
        actor=actor, source=Source.API, from_contact=ticket.contact, to_contact=ContactFactory()
    ),
}

# operation: agent, own contact, other contact, rule, sla, blueprint, system
MATRIX = {
    "create": (OK, OK, OK, DENIED, DENIED, DENIED, OK),
    "edit": (OK, DENIED, UNKNOWN, OK, OK, OK, OK),
    "assign": (OK, DENIED, UNKNOWN, OK, OK, OK, OK),
    "close": (OK, OK, UNKNOWN, OK, OK, OK, OK),
    "delete": (OK, DENIED, UNKNOWN, DENIED, DENIED, DENIED, DENIED),
    "reply": (OK, DENIED, UNKNOWN, OK, DENIED, OK, OK),
    "receive": (OK, OK, UNKNOWN, DENIED, DENIED, DENIED, OK),
    "comment": (OK, DENIED, UNKNOWN, OK, OK, OK, OK),
    "tag": (OK, DENIED, UNKNOWN, OK, OK, OK, OK),
    "cc": (OK, DENIED, UNKNOWN, OK, DENIED, OK, OK),
    "follow": (OK, DENIED, UNKNOWN, OK, OK, OK, DENIED),
    "attach": (OK, OK, UNKNOWN, DENIED, DENIED, DENIED, OK),
    "delivery": (DENIED, DENIED, UNKNOWN, DENIED, DENIED, DENIED, OK),
    "message id": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, OK),
    "reassign contact": (OK, DENIED, DENIED, DENIED, DENIED, DENIED, OK),
}
CASES = [
    pytest.param(operation, kind, expected, id=f"{operation}-{kind}")
    for operation, row in MATRIX.items()
    for kind, expected in zip(KINDS, row, strict=True)
]


def _actor(kind: str, ticket: Ticket, agent: Any) -> Actor:
    return {
        "agent": lambda: Actor.agent(agent.user),
        "own contact": lambda: Actor.contact(ticket.contact),
        "other contact": lambda: Actor.contact(ContactFactory()),
        "rule": lambda: Actor.rule(1),
        "sla": lambda: Actor.sla(1),
        "blueprint": lambda: Actor.blueprint(1),
        "system": Actor.system,
    }[kind]()


def test_every_operation_has_a_row():
    assert set(MATRIX) == set(OPERATIONS)


@pytest.mark.parametrize(("operation", "kind", "expected"), CASES)
def test_actor_rights(operation, kind, expected, admin_agent, create_ticket):
    ticket = create_ticket()
    actor = _actor(kind, ticket, admin_agent)
    events_before = TicketEvent.objects.count()
    try:
        OPERATIONS[operation](actor, Ticket.objects.get(pk=ticket.pk), {"agent": admin_agent})
    except PermissionDenied:
        outcome = DENIED
    except NotFound:
        outcome = UNKNOWN
    else:
        outcome = OK
    assert outcome == expected
    if outcome != OK and operation not in ("delivery", "message id"):
        assert TicketEvent.objects.count() == events_before


def test_a_customer_opens_tickets_only_for_itself(create_ticket):
    ticket = create_ticket()
    with pytest.raises(ValidationFailed) as refused:
        services.ticket_create(
            actor=Actor.contact(ContactFactory()),
            source=Source.PORTAL,
            data=TicketCreateInput(
                subject="代别人提交",
                description="内容",
                department_id=ticket.department_id,
                contact=ContactRef(contact_id=ticket.contact_id),
            ),
        )
    assert refused.value.fields == {"contact_id": "You can open tickets only for yourself."}


def test_a_customer_may_close_its_ticket_but_not_move_it_to_another_open_status(create_ticket):
    ticket = create_ticket()
    with pytest.raises(PermissionDenied):
        services.ticket_set_status(
            actor=Actor.contact(ticket.contact), source=Source.PORTAL, ticket=ticket, status="处理中"
        )
    assert Ticket.objects.get(pk=ticket.pk).status.name == ticket.status.name


def test_a_contact_of_an_account_that_shares_tickets_may_answer_them(create_ticket):
    colleague = ContactFactory()
    ticket = create_ticket()
    account = AccountFactory(shares_tickets=True)
    for contact in (ticket.contact, colleague):
        contact.account = account
        contact.save(update_fields=["account"])
    Ticket.objects.filter(pk=ticket.pk).update(account=account)
    thread = services.ticket_receive(
        actor=Actor.contact(colleague),
        source=Source.PORTAL,
        ticket=Ticket.objects.get(pk=ticket.pk),
        data=MessageInput(body="我是同事，补充一下"),
    )
    assert thread.ticket_id == ticket.pk
    account.shares_tickets = False
    account.save(update_fields=["shares_tickets"])
    with pytest.raises(NotFound):
        services.ticket_receive(
            actor=Actor.contact(colleague),
            source=Source.PORTAL,
            ticket=Ticket.objects.get(pk=ticket.pk),
            data=MessageInput(body="再补充"),
        )
