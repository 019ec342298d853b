"""Channel parity: one scenario through every channel ends in the same ticket, history and side effects.

The scenario: a customer's new request with an attachment and a person in CC; an agent's reply; the
customer's answer; a status change; closing; the customer writing again after the close (which reopens
the ticket). Each channel plays it through its own doors:

- **api**: the REST API for everything (the customer's words through ``/messages``, as a chat or phone
  integration sends them);
- **console**: the agent console over HTTP with a session (the customer's words logged by the agent);
- **email**: real messages through the intake for the customer's part, the API for the agent's.

Every channel goes through the same ticket services, so the resulting ticket, its event stream (types,
fields, old and new values) and the side effects queued for it (outbox events, mails) must be the same,
once the values that are different by nature are masked: ids, numbers, times, the channel's own name.
A new channel (portal, widget) adds an adapter here.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.automation.tests.factories import WorkflowRuleFactory
from kefu.channels.email.intake import message_process, message_store
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.channels.email.tests.mails import raw_mail
from kefu.contacts.services import contact_get_or_create_by_email
from kefu.core.actors import Actor, Source
from kefu.core.event_types import TICKET_EVENTS
from kefu.core.html import html_to_text
from kefu.core.models import OutboxEvent
from kefu.kb.tests.factories import BrandFactory
from kefu.org.tests.factories import ApiKeyFactory
from kefu.portal.models import Customer
from kefu.portal.tests.factories import CustomerFactory
from kefu.tickets.models import Priority, Status, Ticket, TicketEvent
from kefu.tickets.services import ticket_merge
from tests.fixtures import ApiClient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CUSTOMER = "wang.fang@example.cn"
CC = "boss@example.cn"
SUBJECT = "打印机无法连接网络"
FIRST = "打印机重启后仍然无法连接网络。"
ANSWER = "我按您说的做了，还是不行。"
AGAIN = "过了两天又断了。"
REPLY = "您好，请先把路由器恢复出厂设置。"
LOG = b"2026-12-01 printer: no route to host\n"
IN_PROGRESS, CLOSED = "处理中", "已关闭"
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


class Channel:
    """The doors one channel offers; ``ticket`` is the ticket opened by ``open``."""

    def __init__(self, department: Any, agent: Any) -> None:
        self.department, self.agent = department, agent
        self.api = ApiClient(ApiKeyFactory.create(agent.user)[1])
        self.ticket: Ticket | None = None

    def open(self) -> None:
        raise NotImplementedError

    def agent_reply(self) -> None:
        response = self.api.post_json(f"/api/v1/tickets/{self.ticket.pk}/threads", {"body": REPLY})
        assert response.status_code == 201, response.content

    def customer_writes(self, text: str) -> None:
        raise NotImplementedError

    def set_status(self, name: str) -> None:
        response = self.api.patch_json(f"/api/v1/tickets/{self.ticket.pk}", {"status": name})
        assert response.status_code == 200, response.content


class ApiChannel(Channel):
    def open(self) -> None:
        response = self.api.post_json(
            "/api/v1/tickets",
            {
                "subject": SUBJECT,
                "description": FIRST,
                "department_id": self.department.pk,
                "contact": {"email": CUSTOMER, "name": "王芳"},
                "cc": [CC],
                "attachments": [{"filename": "log.txt", "content_base64": base64.b64encode(LOG).decode()}],
            },
        )
        assert response.status_code == 201, response.content
        self.ticket = Ticket.objects.get(pk=response.json()["id"])

    def customer_writes(self, text: str) -> None:
        response = self.api.post_json(f"/api/v1/tickets/{self.ticket.pk}/messages", {"body": text})
        assert response.status_code == 201, response.content


class ConsoleChannel(Channel):
    def __init__(self, department: Any, agent: Any) -> None:
        super().__init__(department, agent)
        self.browser = Client()
        self.browser.force_login(agent.user)

    def open(self) -> None:
        response = self.browser.post(
            "/tickets/new/",
            {
                "subject": SUBJECT,
                "description": FIRST,
                "department": str(self.department.pk),
                "contact_email": CUSTOMER,
                "contact_name": "王芳",
                "cc": CC,
                "files": [SimpleUploadedFile("log.txt", LOG)],
            },
        )
        assert response.status_code == 302, response.content
        self.ticket = Ticket.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))

    def agent_reply(self) -> None:
        response = self.browser.post(f"/tickets/{self.ticket.pk}/reply/", {"body": REPLY})
        assert response.status_code == 302, response.content

    def customer_writes(self, text: str) -> None:
        response = self.browser.post(f"/tickets/{self.ticket.pk}/message/", {"body": text, "channel": "web"})
        assert response.status_code == 302, response.content

    def set_status(self, name: str) -> None:
        status = Status.objects.get(name=name)
        response = self.browser.post(
            f"/tickets/{self.ticket.pk}/properties/", {"field": "status", "value": str(status.pk)}
        )
        assert response.status_code == 302, response.content


class EmailChannel(Channel):
    def __init__(self, department: Any, agent: Any) -> None:
        super().__init__(department, agent)
        self.mailbox = MailboxFactory(address="support@kefu.test", department=department)
        self.sent = 0

    def _ingest(self, raw: bytes) -> InboundMessage:
        inbound = message_process(
            message_store(raw, source=InboundMessage.Source.PIPE, mailbox=self.mailbox).pk
        )
        assert inbound.state == InboundMessage.State.IMPORTED, inbound.reason
        return inbound

    def open(self) -> None:
        inbound = self._ingest(
            raw_mail(
                sender=f"王芳 <{CUSTOMER}>",
                cc=CC,
                subject=SUBJECT,
                body=FIRST,
                message_id="<parity-1@example.cn>",
                attachments=[("log.txt", "text/plain", LOG)],
            )
        )
        self.ticket = inbound.ticket

    def customer_writes(self, text: str) -> None:
        self.sent += 1
        number = Ticket.objects.get(pk=self.ticket.pk).number
        self._ingest(
            raw_mail(
                sender=f"王芳 <{CUSTOMER}>",
                subject=f"Re: {SUBJECT} [#{number}]",
                body=text,
                message_id=f"<parity-answer-{self.sent}@example.cn>",
            )
        )


class PortalChannel(Channel):
    """A brand's help center: the signed-in customer opens the ticket and answers on its page."""

    channel = "portal"

    def __init__(self, department: Any, agent: Any) -> None:
        super().__init__(department, agent)

        self.brand = BrandFactory(slug="parity")
        self.brand.departments.set([department])
        # The customer the other channels met by email, now signed in to the help center.
        contact = contact_get_or_create_by_email(
            actor=Actor.system(), source=Source.PORTAL, email=CUSTOMER, name="王芳"
        )
        customer = Customer.objects.filter(contact=contact).first() or CustomerFactory(
            contact=contact, user__email=CUSTOMER
        )
        self.customer = Client()
        self.customer.force_login(customer.user)

    def open(self) -> None:
        response = self.customer.post(
            "/hc/parity/tickets/new/" if self.channel == "portal" else "/hc/parity/widget/ticket/",
            {"subject": SUBJECT, "message": FIRST, "cc": CC, "files": [SimpleUploadedFile("log.txt", LOG)]},
        )
        assert response.status_code in (200, 302), response.content
        self.ticket = Ticket.objects.get(channel=self.channel, subject=SUBJECT)

    def customer_writes(self, text: str) -> None:
        response = self.customer.post(f"/hc/parity/tickets/{self.ticket.pk}/", {"body": text})
        assert response.status_code == 302, response.content


class WidgetChannel(PortalChannel):
    """The widget's panel opens the ticket; the customer answers in the help center its tickets link to."""

    channel = "widget"


ADAPTERS: dict[str, Callable[[Any, Any], Channel]] = {
    "api": ApiChannel,
    "console": ConsoleChannel,
    "email": EmailChannel,
    "portal": PortalChannel,
    "widget": WidgetChannel,
}


def _masked(value: Any) -> Any:
    """A logged value without what differs by nature between channels: ids, numbers, times, channel, and
    what a help center's door adds of itself (its brand, the language of the page the customer wrote on)."""
    if isinstance(value, dict):
        return {
            key: f"<{key}>" if key in {"channel", "brand", "language"} else _masked(item)
            for key, item in value.items()
            if key not in {"id", "number", "thread_id", "first_message"}
        }
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, str) and _TIME.match(value):
        return "<time>"
    return value


def _threaded(message: Any) -> bool:
    return bool(message.extra_headers.get("In-Reply-To")) and bool(message.extra_headers.get("References"))


def _outcome(ticket: Ticket, outbox_from: int, mails: list[Any]) -> dict[str, Any]:
    ticket = Ticket.objects.select_related("status", "priority", "contact").get(pk=ticket.pk)
    published = OutboxEvent.objects.filter(pk__gt=outbox_from, payload__ticket_id=ticket.pk).order_by("id")
    return {
        "ticket": {
            "subject": ticket.subject,
            "description": html_to_text(ticket.description).strip(),
            "status": (ticket.status.name, ticket.status.status_type),
            "priority": ticket.priority.name,
            "contact": ticket.contact.email,
            "cc": sorted(ticket.cc_contacts.values_list("email", flat=True)),
            "closed": ticket.closed_at is not None,
            "responded": ticket.first_responded_at is not None,
            "attachments": [(a.filename, a.content_type, a.size) for a in ticket.attachments.order_by("id")],
        },
        "threads": [
            (
                t.direction,
                html_to_text(t.body_html).strip(),
                t.to,
                t.cc,
                t.delivery_status,
                t.attachments.count(),
            )
            for t in ticket.threads.order_by("id")
        ],
        "events": [
            (e.action, e.field, _masked(e.old_value), _masked(e.new_value))
            for e in TicketEvent.objects.filter(ticket=ticket).order_by("id")
        ],
        "published": [
            (row.event_type, [change["field"] for change in row.payload.get("changes", [])])
            for row in published
            if row.event_type in TICKET_EVENTS
        ],
        "undelivered": OutboxEvent.objects.filter(delivered_at__isnull=True).count(),
        # A notification is named by its kind (its words follow the customer's language, which a
        # channel may record); the acknowledgement of a new ticket belongs to the door it came through
        # (the help center and the widget send it, a mailbox its own, an agent logging a call none).
        "mails": [
            (
                m.to,
                sorted(m.cc),
                m.extra_headers.get("X-Kefu-Notification") or re.sub(r"#\d+", "#n", m.subject),
                _threaded(m),
            )
            for m in mails
            if m.extra_headers.get("X-Kefu-Notification") != "customer.ticket_received"
        ],
    }


def _play(name: str, department: Any, agent: Any) -> dict[str, Any]:
    outbox_from = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    mails_from = len(mail.outbox)
    channel = ADAPTERS[name](department, agent)
    channel.open()
    channel.agent_reply()
    channel.customer_writes(ANSWER)
    channel.set_status(IN_PROGRESS)
    channel.set_status(CLOSED)
    channel.customer_writes(AGAIN)
    return _outcome(channel.ticket, outbox_from, mail.outbox[mails_from:])


def test_every_channel_ends_in_the_same_ticket_history_and_side_effects(department, agent):
    outcomes = {name: _play(name, department, agent) for name in ADAPTERS}

    api = outcomes["api"]
    # The scenario itself, as every channel must have played it.
    assert api["ticket"]["status"] == ("新建", "open")  # reopened by the last message
    assert api["ticket"]["cc"] == [CC]
    assert [thread[0] for thread in api["threads"]] == ["in", "out", "in", "in"]
    assert [event[0] for event in api["events"]] == [
        "ticket.created",
        "ticket.replied",
        "ticket.replied",
        "ticket.delivery_updated",
        "ticket.message_received",
        "ticket.updated",
        "ticket.updated",
        "ticket.message_received",
        "ticket.message_received",
    ]
    # The reply, and the "ticket closed" notification to the customer and the person in CC (the
    # customer's own message reopening it tells them nothing).
    assert [(m[0], m[2]) for m in api["mails"]] == [
        (["wang.fang@example.cn"], "Re: 打印机无法连接网络 [#n]"),
        (["wang.fang@example.cn"], "customer.ticket_closed"),
        ([CC], "customer.ticket_closed"),
    ]
    assert api["undelivered"] == 0
    for name in ("console", "email", "portal", "widget"):
        for part in api:
            assert outcomes[name][part] == api[part], f"{name} differs from api in {part}"


def test_a_workflow_rule_fires_identically_on_every_channel(department, agent):
    """Rules run inside the one write path, so a ticket from any door meets them the same way."""

    WorkflowRuleFactory(
        name="打印机故障",
        trigger="created",
        criteria={"all": [{"field": "subject", "op": "contains", "value": "打印机"}]},
        actions=[
            {"type": "set_field", "field": "priority", "value": Priority.objects.get(name="高").pk},
            {"type": "add_tags", "tags": ["打印机"]},
        ],
    )
    WorkflowRuleFactory(
        name="客户追问",
        trigger="customer_message",
        criteria={"all": [{"field": "status_type", "op": "is", "value": "open"}]},
        actions=[{"type": "comment", "body": "客户再次来信，请跟进。"}],
    )
    outcomes = {name: _play(name, department, agent) for name in ADAPTERS}

    def by_rule(outcome: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            event
            for event in outcome["events"]
            if event[0] in ("ticket.updated", "ticket.commented")
            and event[1] in ("priority", "tags", "comments")
        ]

    api = outcomes["api"]
    assert api["ticket"]["priority"] == "高"
    # The created rule once; the message rule on both customer messages (the ticket is open each time).
    assert by_rule(api) == [
        ("ticket.updated", "priority", {"name": "中"}, {"name": "高"}),
        ("ticket.updated", "tags", [], ["打印机"]),
        ("ticket.commented", "comments", None, {"public": False}),
        ("ticket.commented", "comments", None, {"public": False}),
    ]
    for name in ADAPTERS:
        assert by_rule(outcomes[name]) == by_rule(api), f"the rules acted differently on {name}"
        assert outcomes[name]["ticket"] == api["ticket"], f"{name} differs from api in ticket"
    # The whole stream and the side effects, as the channel-parity test above compares them.
    for name in ("console", "email"):
        for part in api:
            assert outcomes[name][part] == api[part], f"{name} differs from api in {part}"
    rule_events = TicketEvent.objects.filter(actor_kind="rule")
    rule_actors = {(event.actor_kind, event.actor_name) for event in rule_events}
    assert rule_actors == {("rule", "打印机故障"), ("rule", "客户追问")}


@pytest.mark.django_db
def test_a_merged_tickets_email_reply_lands_on_the_target(department, agent, create_ticket):
    """Replies to a merged ticket's old email thread, by headers or by its ``[#number]``, continue the
    ticket it was merged into, exactly as replies to the target itself do."""

    email = EmailChannel(department, agent)
    email.open()
    merged = email.ticket
    target = create_ticket(subject="打印机问题（已合并）")
    ticket_merge(actor=Actor.agent(agent.user), source=Source.WEB, target=target, ticket_ids=[merged.pk])
    by_headers = email._ingest(
        raw_mail(
            sender=f"王芳 <{CUSTOMER}>",
            subject=f"Re: {SUBJECT}",
            body="合并后按邮件头回复。",
            message_id="<parity-merged-1@example.cn>",
            in_reply_to="<parity-1@example.cn>",
        )
    )
    by_tag = email._ingest(
        raw_mail(
            sender=f"王芳 <{CUSTOMER}>",
            subject=f"Re: {SUBJECT} [#{merged.number}]",
            body="合并后按编号回复。",
            message_id="<parity-merged-2@example.cn>",
        )
    )
    assert (by_headers.ticket_id, by_tag.ticket_id) == (target.pk, target.pk)
    texts = [html_to_text(t.body_html) for t in Ticket.objects.get(pk=target.pk).threads.order_by("id")]
    assert texts[-2:] == ["合并后按邮件头回复。", "合并后按编号回复。"]
    assert Ticket.objects.get(pk=merged.pk).threads.count() == 0
