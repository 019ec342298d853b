from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.org.tests.factories import PASSWORD
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_reply


def test_a_signed_in_customer_submits_a_ticket_with_a_file(brand, customer, customer_client, department):
    response = customer_client.post(
        "/hc/acme/tickets/new/",
        {
            "subject": "发票抬头错了",
            "message": "请帮我改成公司名称。",
            "department": department.pk,
            "files": SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hc/acme/tickets/{ticket.pk}/"
    assert (ticket.contact_id, ticket.brand_id, ticket.channel, ticket.subject) == (
        customer.contact_id,
        brand.pk,
        "portal",
        "发票抬头错了",
    )
    assert [a.filename for a in ticket.attachments.all()] == ["发票.pdf"]
    page = customer_client.get(response["Location"])
    assert "请帮我改成公司名称。" in page.content.decode()


def test_an_anonymous_visitor_submits_with_name_and_email(brand):
    response = Client().post(
        "/hc/acme/tickets/new/",
        {"name": "王芳", "email": "wang.fang@example.cn", "subject": "咨询", "message": "你好"},
    )
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert f"工单编号 {ticket.shown_number}。" in response.content.decode()
    missing = Client().post("/hc/acme/tickets/new/", {"subject": "", "message": ""})
    assert missing.status_code == 422
    assert set(missing.context["errors"]) == {"subject", "message", "email"}


def test_the_customer_reads_the_answer_replies_and_closes(
    customer, customer_client, agent, create_ticket, published
):
    ticket = create_ticket(
        contact=__import__("kefu.tickets.inputs", fromlist=["ContactRef"]).ContactRef(
            contact=customer.contact
        )
    )
    ticket_reply(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        data=ReplyInput(body="<p>请重启路由器。</p>"),
    )
    page = customer_client.get(f"/hc/acme/tickets/{ticket.pk}/")
    assert "请重启路由器。" in page.content.decode()
    reply = customer_client.post(f"/hc/acme/tickets/{ticket.pk}/", {"body": "重启后好了，谢谢！"})
    assert reply.status_code == 302
    received = published(EventType.TICKET_MESSAGE_RECEIVED)
    assert len(received) == 1
    ticket.refresh_from_db()
    assert ticket.threads.order_by("-id").first().body_text == "重启后好了，谢谢！"
    assert customer_client.post(f"/hc/acme/tickets/{ticket.pk}/close/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status.status_type == "closed"


def test_another_customers_ticket_is_a_404(customer, other_customer, create_ticket):
    from kefu.tickets.inputs import ContactRef

    ticket = create_ticket(contact=ContactRef(contact=customer.contact))
    client = Client()
    client.login(username=other_customer.user.email, password=PASSWORD)
    assert client.get(f"/hc/acme/tickets/{ticket.pk}/").status_code == 404
    assert client.post(f"/hc/acme/tickets/{ticket.pk}/", {"body": "hi"}).status_code == 404
    assert client.post(f"/hc/acme/tickets/{ticket.pk}/close/").status_code == 404
    attachment_id = ticket.attachments.values_list("pk", flat=True).first() or 1
    assert client.get(f"/hc/acme/tickets/{ticket.pk}/files/{attachment_id}/").status_code == 404
    assert ticket.subject not in client.get("/hc/acme/tickets/").content.decode()
    assert Client().get(f"/hc/acme/tickets/{ticket.pk}/").status_code == 302  # anonymous: sign in first


def test_an_account_that_shares_tickets_shows_colleagues_tickets(customer, other_customer, create_ticket):
    from kefu.contacts.tests.factories import AccountFactory
    from kefu.tickets.inputs import ContactRef

    account = AccountFactory(shares_tickets=False)
    for person in (customer, other_customer):
        person.contact.account = account
        person.contact.save()
    ticket = create_ticket(contact=ContactRef(contact=other_customer.contact), subject="同事的工单")
    client = Client()
    client.login(username=customer.user.email, password=PASSWORD)
    assert client.get(f"/hc/acme/tickets/{ticket.pk}/").status_code == 404
    account.shares_tickets = True
    account.save()
    assert client.get(f"/hc/acme/tickets/{ticket.pk}/").status_code == 200
    assert "同事的工单" in client.get("/hc/acme/tickets/").content.decode()
