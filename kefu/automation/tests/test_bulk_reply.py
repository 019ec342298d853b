"""Bulk reply (issue 14, item 4): one text, placeholders filled per ticket, a reply of its own on each
ticket (its own mailbox, its own conversation's headers), refusals reported per ticket."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail

from kefu.automation.macros.bulk_reply import ticket_bulk_reply
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.tickets.inputs import ContactRef
from kefu.tickets.models import Thread
from kefu.tickets.services import ticket_delete
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets/bulk-reply"
BODY = "{{ contact.name }}，您好：华东仓的发货延误已解决，工单 {{ ticket.number }} 今天发出。"


@pytest.fixture
def three(create_ticket):
    return [
        create_ticket(subject="订单还没发货", contact=ContactRef(email="li.lei@example.cn", name="李雷")),
        create_ticket(
            subject="物流一直不更新", contact=ContactRef(email="han.mei@example.cn", name="韩梅梅")
        ),
        create_ticket(subject="什么时候发货", contact=ContactRef(email="wang.fang@example.cn", name="王芳")),
    ]


def parsed(sent) -> email.message.EmailMessage:
    return email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)


def test_each_ticket_gets_its_own_reply_with_its_own_placeholders_and_headers(
    agent, three, department, django_capture_on_commit_callbacks
):
    MailboxFactory(department=department, address="service@kefu.test", display_name="售后")
    with django_capture_on_commit_callbacks(execute=True):
        result = ticket_bulk_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket_ids=[t.pk for t in three], body=BODY
        )
    assert result.failures == []
    assert list(result.replied) == [t.pk for t in three]
    for ticket, name in zip(three, ["李雷", "韩梅梅", "王芳"], strict=True):
        thread = Thread.objects.get(pk=result.replied[ticket.pk])
        assert (thread.ticket_id, thread.direction, thread.to) == (ticket.pk, "out", [ticket.contact.email])
        assert thread.body_text == f"{name}，您好：华东仓的发货延误已解决，工单 #{ticket.number} 今天发出。"
        assert ticket.events.filter(action="ticket.replied", field="threads").count() == 1
    messages = {parsed(sent)["To"]: parsed(sent) for sent in mail.outbox}
    assert len(messages) == 3
    message_ids = set()
    for ticket in three:
        message = messages[ticket.contact.email]
        assert message["From"].addresses[0].addr_spec == "service@kefu.test"
        assert f"[#{ticket.number}]" in message["Subject"]
        assert message["In-Reply-To"] == f"<kefu.ticket.{ticket.pk}@kefu.test>"
        message_ids.add(message["Message-ID"])
    assert len(message_ids) == 3


def test_refusals_are_reported_per_ticket_and_the_others_answered(
    agent, admin_agent, three, create_ticket, other_department
):
    elsewhere = create_ticket(department_id=other_department.pk)
    trashed = three[2]
    ticket_delete(actor=Actor.agent(admin_agent.user), source=Source.WEB, ticket=trashed)
    result = ticket_bulk_reply(
        actor=Actor.agent(agent.user),
        source=Source.API,
        ticket_ids=[three[0].pk, elsewhere.pk, trashed.pk, 999999],
        body="已处理。",
    )
    assert list(result.replied) == [three[0].pk]
    assert [(f.ticket_id, f.number, f.message) for f in result.failures] == [
        (elsewhere.pk, None, "No such ticket."),
        (trashed.pk, None, "No such ticket."),
        (999999, None, "No such ticket."),
    ]
    assert not Thread.objects.filter(ticket=elsewhere, direction="out").exists()


def test_a_light_agent_is_refused_on_each_ticket(light_agent, three):
    result = ticket_bulk_reply(
        actor=Actor.agent(light_agent.user), source=Source.WEB, ticket_ids=[three[0].pk], body="你好"
    )
    assert result.replied == {}
    assert [(f.ticket_id, f.message) for f in result.failures] == [
        (three[0].pk, "You do not have permission to do this.")
    ]


def test_bad_input_names_every_field(agent):
    with pytest.raises(ValidationFailed) as caught:
        ticket_bulk_reply(actor=Actor.agent(agent.user), source=Source.WEB, ticket_ids=[], body=" ")
    assert caught.value.fields == {
        "ticket_ids": "Select at least one ticket.",
        "body": "This field is required.",
    }
    with pytest.raises(ValidationFailed) as caught:
        ticket_bulk_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket_ids=[1], body="{{ contact.phone }}"
        )
    assert caught.value.fields == {"body": "Unknown placeholder {{ contact.phone }}."}


def test_a_name_in_an_html_body_is_written_not_rendered(agent, create_ticket):
    ticket = create_ticket(contact=ContactRef(email="x@example.cn", name="<b>张</b>"))
    result = ticket_bulk_reply(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket_ids=[ticket.pk],
        body="<div>{{ contact.name }}，您好</div>",
    )
    thread = Thread.objects.get(pk=result.replied[ticket.pk])
    assert thread.body_text == "<b>张</b>，您好"
    assert "<b>" not in thread.body_html


def test_api_per_ticket_results(api, three, create_ticket, other_department):
    elsewhere = create_ticket(department_id=other_department.pk)
    response = api.post_json(URL, {"ticket_ids": [three[0].pk, elsewhere.pk, three[1].pk], "body": BODY})
    assert response.status_code == 200, response.content
    replies = {t.ticket_id: t.pk for t in Thread.objects.filter(direction="out")}
    assert response.json() == {
        "replied": 2,
        "failed": 1,
        "results": [
            {
                "ticket_id": three[0].pk,
                "status": "replied",
                "thread_id": replies[three[0].pk],
                "message": None,
            },
            {"ticket_id": elsewhere.pk, "status": "failed", "thread_id": None, "message": "No such ticket."},
            {
                "ticket_id": three[1].pk,
                "status": "replied",
                "thread_id": replies[three[1].pk],
                "message": None,
            },
        ],
    }


def test_api_bad_input_in_the_clients_language(api):
    error = error_of(api.post_json(URL, {"ticket_ids": [], "body": ""}, HTTP_ACCEPT_LANGUAGE="zh-Hans"), 422)
    assert error["fields"] == {"ticket_ids": "请至少选择一个工单。", "body": "此字段为必填项。"}
    error = error_of(api.post_json(URL, {"ticket_ids": [1], "body": "好", "sla": "gold"}), 422)
    assert set(error["fields"]) == {"sla"}
    error = error_of(api.post_json(URL, {"ticket_ids": "1,2", "body": "好"}), 422)
    assert set(error["fields"]) == {"ticket_ids"}


def test_api_permissions(api_client_for, three):
    assert api_client_for(None).post_json(URL, {"ticket_ids": [three[0].pk], "body": "好"}).status_code == 401
    assert not Thread.objects.filter(direction="out").exists()


@pytest.mark.parametrize(
    ("language", "button", "summary", "refused"),
    [
        ("en", "Send to the selected tickets", "Reply: 2 tickets replied to.", "No such ticket."),
        ("zh-hans", "发送给所选工单", "回复: 已回复 2 个工单。", "工单不存在。"),
    ],
)
def test_console_bulk_bar(client, agent, three, language, button, summary, refused):
    from django.urls import reverse

    client.force_login(agent.user)
    listing = client.get(reverse("tickets:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert button in listing
    response = client.post(
        reverse("tickets-bulk-reply"),
        {"ticket_ids": [three[0].pk, three[1].pk, 999999], "body": "{{ contact.name }}，您好：已发货。"},
        HTTP_ACCEPT_LANGUAGE=language,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert summary in html
    assert refused in html
    assert response["HX-Trigger"] == "kefu-list-refresh"
    assert sorted(Thread.objects.filter(direction="out").values_list("body_text", flat=True)) == sorted(
        ["李雷，您好：已发货。", "韩梅梅，您好：已发货。"]
    )


def test_console_bulk_reply_empty_text_is_refused(client, agent, three):
    from django.urls import reverse

    client.force_login(agent.user)
    response = client.post(
        reverse("tickets-bulk-reply"), {"ticket_ids": [three[0].pk], "body": ""}, HTTP_HX_REQUEST="true"
    )
    assert "This field is required." in response.content.decode()
    assert not Thread.objects.filter(direction="out").exists()


def test_api_idempotency_key_replies_once(api, three):
    payload = {"ticket_ids": [three[0].pk, three[1].pk], "body": "已处理。"}
    first = api.post_json(URL, payload, HTTP_IDEMPOTENCY_KEY="delay-2026-12-07")
    again = api.post_json(URL, payload, HTTP_IDEMPOTENCY_KEY="delay-2026-12-07")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert Thread.objects.filter(direction="out").count() == 2
