"""A reply mailed to the customer links to the ticket's page in the brand's help center, in their language."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.channels.email.models import Security
from kefu.channels.email.tests.factories import BrandFactory, MailboxFactory
from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import PASSWORD
from kefu.portal.tests.factories import CustomerFactory, HelpCenterFactory
from kefu.tickets.inputs import ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create, ticket_reply


@pytest.fixture
def mailbox(department, smtp_sink):
    return MailboxFactory(
        department=department,
        address="support@kefu.test",
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
    )


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.KEFU_SITE_URL = "https://help.example.cn"


def opened(agent, *, email: str = "wang.fang@example.cn", brand=None) -> Ticket:
    ticket = ticket_create(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        data=TicketCreateInput(
            subject="退款还没到账",
            department_id=agent.departments.get().pk,
            contact=ContactRef(email=email, name="王芳"),
            channel="web",
            message=MessageInput(body="我的退款还没到账。", channel="web"),
        ),
    )
    if brand is not None:
        Ticket.objects.filter(pk=ticket.pk).update(brand=brand)
        ticket.refresh_from_db()
    return ticket


def reply(agent, ticket, capture, body: str = "已为您加急处理。"):
    with capture(execute=True):
        ticket_reply(
            actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, data=ReplyInput(body=body)
        )


def bodies(sink, index: int = -1) -> tuple[str, str]:
    alternative = sink.messages[index].message
    text, html = (part.get_content().replace("\r\n", "\n") for part in alternative.get_payload())
    return text, html


def test_a_reply_links_to_the_ticket_in_the_brands_help_center_in_chinese(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    brand = BrandFactory(slug="acme")
    ticket = opened(agent, brand=brand)
    reply(agent, ticket, django_capture_on_commit_callbacks)

    url = f"https://help.example.cn/hc/acme/tickets/{ticket.pk}/"
    text, html = bodies(smtp_sink)
    assert text.startswith("已为您加急处理。")
    assert text.rstrip().endswith(f"在帮助中心查看此工单：{url}")
    assert f'<p class="kefu-portal-link"><a href="{url}">在帮助中心查看此工单</a></p>' in html


def test_an_english_speaking_customer_gets_the_link_in_english(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    brand = BrandFactory(slug="acme")
    ContactFactory(email="amy@example.com", name="Amy", language="en")
    ticket = opened(agent, email="amy@example.com", brand=brand)
    reply(agent, ticket, django_capture_on_commit_callbacks, body="We have refunded you.")

    url = f"https://help.example.cn/hc/acme/tickets/{ticket.pk}/"
    text, html = bodies(smtp_sink)
    assert text.rstrip().endswith(f"View this ticket in the help center: {url}")
    assert f'<a href="{url}">View this ticket in the help center</a>' in html


def test_a_ticket_of_no_brand_links_to_the_default_brands_help_center(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    BrandFactory(slug="other")
    BrandFactory(slug="main", is_default=True)
    ticket = opened(agent)
    reply(agent, ticket, django_capture_on_commit_callbacks)
    assert f"https://help.example.cn/hc/main/tickets/{ticket.pk}/" in bodies(smtp_sink)[0]


def test_no_link_without_a_brand_or_when_its_help_center_is_unpublished(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    ticket = opened(agent)
    reply(agent, ticket, django_capture_on_commit_callbacks)
    text, html = bodies(smtp_sink)
    assert "help.example.cn" not in text
    assert "kefu-portal-link" not in html

    brand = BrandFactory(slug="hidden")
    HelpCenterFactory(brand=brand, is_enabled=False)
    hidden = opened(agent, email="li.lei@example.cn", brand=brand)
    reply(agent, hidden, django_capture_on_commit_callbacks)
    text, html = bodies(smtp_sink)
    assert "help.example.cn" not in text
    assert "kefu-portal-link" not in html


def test_the_link_opens_the_ticket_for_its_customer_and_for_nobody_else(
    agent, mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    brand = BrandFactory(slug="acme")
    brand.departments.set([agent.departments.get()])
    ticket = opened(agent, brand=brand)
    reply(agent, ticket, django_capture_on_commit_callbacks)
    path = bodies(smtp_sink)[0].rstrip().rsplit("https://help.example.cn", 1)[1]

    assert Client().get(path)["Location"].startswith("/hc/acme/signin/")
    customer = CustomerFactory(contact=ticket.contact, user__email=ticket.contact.email)
    client = Client()
    client.login(username=customer.user.email, password=PASSWORD)
    page = client.get(path)
    assert page.status_code == 200
    assert "已为您加急处理。" in page.content.decode()

    stranger = CustomerFactory(contact__email="han.mei@example.cn")
    other = Client()
    other.login(username=stranger.user.email, password=PASSWORD)
    assert other.get(path).status_code == 404
