"""Live updates: a change made elsewhere shows in an open list and an open ticket without reloading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, MessageInput, TicketCreateInput
from kefu.tickets.services import ticket_create, ticket_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
STREAM = re.compile(r"/tickets/stream/")


def test_a_new_ticket_is_announced_on_the_open_list(signed_in, desk, live_stream):
    page = signed_in
    with page.expect_response(STREAM):
        page.goto("/tickets/?view=open")
    expect(page.get_by_test_id("live-banner")).to_be_hidden()

    ticket_create(
        actor=Actor.system(),
        source=Source.EMAIL,
        data=TicketCreateInput(
            subject="新的咨询：门店网络中断",
            description="今天早上开始门店网络中断。",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=desk.contact.pk),
        ),
    )

    banner = page.get_by_test_id("live-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("1")
    banner.get_by_role("button").click()
    expect(page.get_by_role("link", name="新的咨询：门店网络中断", exact=True)).to_be_visible()


def test_a_customer_message_appears_on_the_open_ticket(signed_in, desk, live_stream):
    page = signed_in
    ticket = desk.tickets[0]
    with page.expect_response(STREAM):
        page.goto(f"/tickets/{ticket.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.subject)

    ticket_receive(
        actor=Actor.system(),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="<p>重启路由器之后可以连接了，谢谢！</p>"),
    )

    expect(page.get_by_test_id("thread").filter(has_text="重启路由器之后可以连接了")).to_have_count(1)
