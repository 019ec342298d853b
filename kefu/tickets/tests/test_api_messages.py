"""The API's doors for the customer's words: files and CC on create, and recorded customer messages."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from kefu.contacts.models import Contact
from kefu.tickets.models import Attachment, Status, Thread, Ticket, TicketEvent
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets"
CONTENT = "attachments.0.content_base64"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _create(api, department, **extra):
    payload = {
        "subject": "路由器指示灯闪红灯",
        "description": "附件是指示灯的照片。",
        "department_id": department.pk,
        "contact": {"email": "wang.fang@example.cn", "name": "王芳"},
        **extra,
    }
    return api.post_json(URL, payload)


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


def test_create_takes_files_and_cc_with_the_first_message(api, department):
    response = _create(
        api,
        department,
        cc=["Boss@Example.cn"],
        attachments=[{"filename": "灯.png", "content_base64": base64.b64encode(PNG).decode()}],
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    [first] = ticket.threads.all()
    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert (first.direction, first.cc, attachment.thread_id) == ("in", ["boss@example.cn"], first.pk)
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "灯.png",
        "image/png",
        len(PNG),
    )
    assert list(ticket.cc_contacts.values_list("email", flat=True)) == ["boss@example.cn"]
    created = TicketEvent.objects.get(ticket=ticket)
    assert created.new_value["attachments"] == [{"id": attachment.pk, "name": "灯.png"}]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            {"attachments": [{"filename": "a.txt", "content_base64": "not base64!"}]},
            "attachments.0.content_base64",
        ),
        ({"attachments": [{"filename": "", "content_base64": "bG9n"}]}, "attachments.0.filename"),
        ({"attachments": [{"filename": "a.txt"}]}, CONTENT),
        ({"attachments": "bG9n"}, "attachments"),
        ({"cc": ["not an address"]}, "cc"),
    ],
)
def test_bad_files_or_cc_on_create_are_422_naming_the_field(api, department, extra, field):
    error = error_of(_create(api, department, **extra), 422)
    assert field in error["fields"]
    assert Ticket.objects.count() == 0


def test_an_empty_file_on_create_is_refused_and_nothing_is_stored(api, department):
    error = error_of(_create(api, department, attachments=[{"filename": "a.txt", "content_base64": ""}]), 422)
    assert error["fields"] == {"file": "The file is empty."}
    assert (Ticket.objects.count(), Attachment.objects.count()) == (0, 0)


def test_invalid_base64_is_explained_in_the_clients_language(api, department):
    response = api.post_json(
        URL,
        {
            "subject": "s",
            "description": "d",
            "department_id": department.pk,
            "contact": {"email": "a@example.cn"},
            "attachments": [{"filename": "a.txt", "content_base64": "%%%"}],
        },
        headers={"Accept-Language": "zh-hans"},
    )
    assert error_of(response, 422)["fields"] == {"attachments.0.content_base64": "这不是有效的 base64。"}


def test_a_recorded_customer_message_is_an_inbound_thread_from_the_contact(api, ticket, agent):
    response = api.post_json(
        f"{URL}/{ticket.pk}/messages",
        {
            "body": "还是连不上。",
            "channel": "phone",
            "cc": ["colleague@example.cn"],
            "attachments": [
                {"filename": "log.txt", "content_base64": base64.b64encode(b"error 42").decode()}
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    thread = Thread.objects.get(pk=body["id"])
    assert (body["ticket_id"], body["direction"], body["channel"]) == (ticket.pk, "in", "phone")
    assert (thread.author_contact_id, thread.author_user_id) == (ticket.contact_id, None)
    assert [a["filename"] for a in body["attachments"]] == ["log.txt"]
    assert Contact.objects.filter(email="colleague@example.cn", cc_tickets=ticket).exists()
    event = TicketEvent.objects.filter(ticket=ticket).order_by("id").last()
    assert (event.action, event.actor_kind, event.actor_id, event.source) == (
        "ticket.message_received",
        "agent",
        agent.user_id,
        "api",
    )


def test_a_message_on_a_ticket_closed_long_ago_opens_a_follow_up(api, ticket):
    closed = Status.objects.get(name="已关闭")
    Ticket.objects.filter(pk=ticket.pk).update(
        status=closed, closed_at=timezone.now() - dt.timedelta(days=30)
    )
    response = api.post_json(f"{URL}/{ticket.pk}/messages", {"body": "又坏了"})
    assert response.status_code == 201, response.content
    follow_up = Ticket.objects.get(pk=response.json()["ticket_id"])
    assert follow_up.pk != ticket.pk
    assert follow_up.follow_up_of_id == ticket.pk


def test_messages_need_the_reply_right_and_a_visible_ticket(api_client_for, light_agent, other_agent, ticket):
    error_of(api_client_for(light_agent).post_json(f"{URL}/{ticket.pk}/messages", {"body": "x"}), 403)
    error_of(api_client_for(other_agent).post_json(f"{URL}/{ticket.pk}/messages", {"body": "x"}), 404)
    error_of(api_client_for(None).post_json(f"{URL}/{ticket.pk}/messages", {"body": "x"}), 401)
    assert ticket.threads.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x", "channel": "fax"}, "channel"),
        ({"body": 1}, "body"),
    ],
)
def test_bad_messages_are_422_naming_the_field(api, ticket, payload, field):
    error = error_of(api.post_json(f"{URL}/{ticket.pk}/messages", payload), 422)
    assert field in error["fields"]
    assert ticket.threads.count() == 1


def test_a_retried_message_with_the_same_idempotency_key_is_recorded_once(api, ticket):
    headers = {"Idempotency-Key": "call-2026-12-07-001"}
    first = api.post_json(f"{URL}/{ticket.pk}/messages", {"body": "电话记录"}, headers=headers)
    again = api.post_json(f"{URL}/{ticket.pk}/messages", {"body": "电话记录"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert ticket.threads.count() == 2
