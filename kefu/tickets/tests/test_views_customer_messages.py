"""The console's doors for the customer's words: a new ticket with files and CC as the customer's first
message, and logging what a customer said on a call on an existing ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kefu.tickets.models import Attachment, Status, Thread, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def test_a_phone_ticket_with_files_and_cc_starts_with_the_customers_message(signed_in, department):
    response = signed_in.post(
        "/tickets/new/",
        {
            "subject": "电话：打印机卡纸",
            "description": "客户来电说第二页开始卡纸。",
            "department": str(department.pk),
            "contact_email": "wang.fang@example.cn",
            "channel": "phone",
            "cc": "boss@example.cn, it@example.cn",
            "files": [SimpleUploadedFile("卡纸.txt", b"page 2 jam", content_type="text/plain")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    [first] = ticket.threads.all()
    assert (ticket.channel, first.channel, first.direction) == ("phone", "phone", "in")
    assert (first.author_contact_id, first.author_user_id) == (ticket.contact_id, None)
    assert first.cc == ["boss@example.cn", "it@example.cn"]
    assert sorted(ticket.cc_contacts.values_list("email", flat=True)) == ["boss@example.cn", "it@example.cn"]
    assert list(Attachment.objects.values_list("filename", "thread_id")) == [("卡纸.txt", first.pk)]


def test_a_bad_cc_or_an_empty_file_is_a_form_error_and_nothing_is_created(signed_in, department):
    response = signed_in.post(
        "/tickets/new/",
        {
            "subject": "s",
            "description": "d",
            "department": str(department.pk),
            "contact_email": "a@example.cn",
            "cc": "not-an-address",
        },
    )
    assert response.status_code == 422
    assert "Enter valid email addresses." in response.content.decode()
    response = signed_in.post(
        "/tickets/new/",
        {
            "subject": "s",
            "description": "d",
            "department": str(department.pk),
            "contact_email": "a@example.cn",
            "files": [SimpleUploadedFile("empty.txt", b"")],
        },
    )
    assert response.status_code == 422
    assert "The file is empty." in response.content.decode()
    assert (Ticket.objects.count(), Attachment.objects.count()) == (0, 0)


def test_an_unknown_channel_falls_back_to_the_web_form(signed_in, department):
    signed_in.post(
        "/tickets/new/",
        {
            "subject": "s",
            "description": "d",
            "department": str(department.pk),
            "contact_email": "a@example.cn",
            "channel": "email",
        },
    )
    assert Ticket.objects.get().channel == "web"


def test_the_composer_offers_logging_a_customers_message_in_both_languages(signed_in, create_ticket):
    ticket = create_ticket()
    html = signed_in.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Log customer's message" in html
    assert f'action="/tickets/{ticket.pk}/message/"' in html
    html = signed_in.get(f"/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "记录客户留言" in html


def test_a_logged_call_is_the_contacts_message_recorded_by_the_agent(signed_in, agent, create_ticket):
    ticket = create_ticket()
    response = signed_in.post(
        f"/tickets/{ticket.pk}/message/",
        {"body": "客户来电：还是不行", "channel": "phone", "files": [SimpleUploadedFile("录音.txt", b"...")]},
        **HTMX,
    )
    assert response.status_code == 200
    thread = Thread.objects.filter(ticket=ticket).order_by("id").last()
    assert (thread.direction, thread.channel, thread.author_contact_id) == ("in", "phone", ticket.contact_id)
    assert list(thread.attachments.values_list("filename", flat=True)) == ["录音.txt"]
    event = TicketEvent.objects.filter(ticket=ticket).order_by("id").last()
    assert (event.action, event.actor_kind, event.actor_id, event.source) == (
        "ticket.message_received",
        "agent",
        agent.user_id,
        "web",
    )


def test_an_empty_logged_message_is_a_form_error(signed_in, create_ticket):
    ticket = create_ticket()
    response = signed_in.post(f"/tickets/{ticket.pk}/message/", {"body": "<p> </p>"}, **HTMX)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert ticket.threads.count() == 1


def test_a_call_about_a_ticket_closed_long_ago_leads_to_its_follow_up(signed_in, create_ticket):
    ticket = create_ticket()
    long_ago = timezone.now() - dt.timedelta(days=60)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.objects.get(name="已关闭"), closed_at=long_ago)
    response = signed_in.post(f"/tickets/{ticket.pk}/message/", {"body": "又坏了"})
    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{follow_up.pk}/"
    response = signed_in.post(f"/tickets/{ticket.pk}/message/", {"body": "又坏了"}, **HTMX)
    assert (response.status_code, response["HX-Redirect"]) == (204, f"/tickets/{Ticket.objects.last().pk}/")


def test_a_light_agent_cannot_log_messages_and_another_department_sees_nothing(
    client, light_agent, other_agent, create_ticket
):
    ticket = create_ticket()
    client.force_login(light_agent.user)
    assert client.post(f"/tickets/{ticket.pk}/message/", {"body": "x"}).status_code in (403, 422)
    client.force_login(other_agent.user)
    assert client.post(f"/tickets/{ticket.pk}/message/", {"body": "x"}).status_code == 404
    assert ticket.threads.count() == 1
