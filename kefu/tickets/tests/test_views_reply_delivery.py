"""The ticket page never claims a delivery that does not happen (issue 8, item 5).

A reply on a ticket of any channel is emailed to the customer; the conversation shows what became of
it (queued, sent, failed), and a reply to a contact without an email address is kept, announced as
undeliverable in the reply editor before it is sent, and shown as "not delivered" afterwards.
"""

from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail
from django.urls import reverse

from kefu.channels.email.models import OutboundEmail
from kefu.contacts.tests.factories import ContactFactory
from kefu.tickets.inputs import ContactRef
from kefu.tickets.models import Thread

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NO_ADDRESS_WARNING = {
    "en": "This contact has no email address: the reply will be saved but not delivered.",
    "zh-hans": "该联系人没有邮箱地址：回复会被保存，但不会发送给对方。",
}
NOT_DELIVERED = {"en": "Not delivered: no address", "zh-hans": "未送达：没有邮箱地址"}
NOT_DELIVERED_NOTE = {
    "en": "This reply was saved but not sent: the contact has no email address.",
    "zh-hans": "此回复已保存但未发送：该联系人没有邮箱地址。",
}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def no_address_ticket(create_ticket):
    """A ticket logged from a phone call by a customer the help desk knows only by name and phone."""
    contact = ContactFactory(name="赵先生", email="", phone="13800000000")
    return create_ticket(contact=ContactRef(contact_id=contact.pk), channel="phone")


def detail(ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def conversation(client, ticket, language: str = "en") -> str:
    response = client.get(detail(ticket) + "?part=conversation", HTTP_ACCEPT_LANGUAGE=language, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def reply(client, ticket, capture=None, body: str = "已安排工程师回电。", language: str = "en"):
    """Post a reply; with ``capture``, what follows the commit (the outbox relay, the sending) runs too."""

    def post():
        return client.post(
            reverse("tickets:reply", args=[ticket.pk]), {"body": body}, HTTP_ACCEPT_LANGUAGE=language, **HTMX
        )

    if capture is None:
        response = post()
    else:
        with capture(execute=True):
            response = post()
    assert response.status_code == 200, response.content.decode()
    return Thread.objects.filter(ticket=ticket, direction=Thread.Direction.OUTBOUND).latest("id"), response


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_reply_editor_warns_before_sending_to_a_contact_without_an_address(
    signed_in, no_address_ticket, language
):
    page = signed_in.get(detail(no_address_ticket), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'data-testid="reply-no-address"' in page
    assert NO_ADDRESS_WARNING[language] in page
    assert 'aria-describedby="reply-no-address"' in page


def test_the_reply_editor_has_no_warning_when_the_contact_has_an_address(signed_in, create_ticket):
    page = signed_in.get(detail(create_ticket())).content.decode()
    assert 'data-testid="reply-no-address"' not in page
    assert NO_ADDRESS_WARNING["en"] not in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_reply_to_a_contact_without_an_address_is_kept_and_shown_not_delivered(
    signed_in, no_address_ticket, django_capture_on_commit_callbacks, language
):
    thread, response = reply(
        signed_in, no_address_ticket, django_capture_on_commit_callbacks, language=language
    )

    assert thread.delivery_status == Thread.Delivery.NO_ADDRESS
    assert thread.to == []
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()
    # The editor that comes back after sending still warns for the next reply.
    assert NO_ADDRESS_WARNING[language] in response.content.decode()
    html = conversation(signed_in, no_address_ticket, language)
    badge = f'<span class="badge bg-orange-lt" data-testid="delivery-status">{NOT_DELIVERED[language]}</span>'
    assert badge in html
    assert NOT_DELIVERED_NOTE[language] in html
    assert "Sent" not in html
    assert "已发送" not in html


def test_a_reply_on_a_web_ticket_is_emailed_and_shown_sent(
    signed_in, create_ticket, agent, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "售后中心 <help@service.example>"
    ticket = create_ticket(channel="web")

    thread, _response = reply(signed_in, ticket, django_capture_on_commit_callbacks, body="请重启路由器。")

    assert (thread.channel, thread.delivery_status) == ("email", Thread.Delivery.SENT)
    [sent] = mail.outbox
    assert sent.to == ["wang.fang@example.cn"]
    assert sent.subject == f"Re: 打印机无法连接网络 [#{ticket.number}]"
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("张伟 via 售后中心", "help@service.example")
    assert message["Message-ID"] == f"<{thread.message_id}>"
    assert message["In-Reply-To"] == f"<kefu.ticket.{ticket.pk}@service.example>"
    assert message["References"] == f"<kefu.ticket.{ticket.pk}@service.example>"
    html = conversation(signed_in, ticket)
    assert '<span class="badge bg-green-lt" data-testid="delivery-status">Sent</span>' in html
    assert 'data-testid="delivery-no-address"' not in html


@pytest.mark.parametrize(
    ("status", "badge", "language"),
    [
        ("queued", '<span class="badge bg-yellow-lt" data-testid="delivery-status">Queued</span>', "en"),
        ("sending", '<span class="badge bg-yellow-lt" data-testid="delivery-status">Sending</span>', "en"),
        ("failed", '<span class="badge bg-red-lt" data-testid="delivery-status">Failed</span>', "en"),
        ("sent", '<span class="badge bg-green-lt" data-testid="delivery-status">已发送</span>', "zh-hans"),
    ],
)
def test_each_delivery_state_is_shown_on_the_thread(signed_in, create_ticket, status, badge, language):
    ticket = create_ticket()
    thread, _response = reply(signed_in, ticket)  # nothing runs after the commit: the state is set below
    assert thread.delivery_status == ""
    Thread.objects.filter(pk=thread.pk).update(
        delivery_status=status, delivery_error="550 5.1.1 User unknown" if status == "failed" else ""
    )
    html = conversation(signed_in, ticket, language)
    assert badge in html
    if status == "failed":
        assert "The reply could not be sent. 550 5.1.1 User unknown" in html
        assert reverse("mail:outbound-retry", args=[thread.pk]) in html
    else:
        assert "The reply could not be sent." not in html


def test_the_customers_first_message_is_shown_once(signed_in, create_ticket):
    """It is the ticket's first thread; the description (the same text) is not shown beside it."""
    ticket = create_ticket(description="按照说明书操作后仍然连不上。")
    html = conversation(signed_in, ticket)
    assert html.count("按照说明书操作后仍然连不上。") == 1
    assert 'data-testid="thread"' in html
