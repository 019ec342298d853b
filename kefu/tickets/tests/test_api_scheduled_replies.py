"""Scheduled replies through the REST API: POST with send_at, PATCH, DELETE, 409 after it went, 422s."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.tickets.models import Thread
from kefu.tickets.services import scheduled_replies_send_due
from tests.helpers import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/tickets"
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticket(clock, create_ticket):
    return create_ticket()


def post(api, ticket, **payload):
    return api.post_json(f"{URL}/{ticket.pk}/threads", {"body": "明早九点上门。", **payload})


def test_schedule_list_change_and_cancel(api, ticket, agent):
    response = post(api, ticket, send_at="2026-12-08T09:30:00+08:00")
    assert response.status_code == 201, response.content
    body = response.json()
    thread = Thread.objects.get(pk=body["id"])
    assert (body["scheduled"], body["send_at"], body["delivery_status"]) == (True, "2026-12-08T01:30:00Z", "")
    assert body["author_user_id"] == agent.user.pk
    assert body["delivery_error"] == ""
    listed = api.get(f"{URL}/{ticket.pk}/threads").json()["items"]
    assert [item["scheduled"] for item in listed] == [False, True]

    changed = api.patch_json(
        f"{URL}/{ticket.pk}/threads/{thread.pk}",
        {"body": "改到十点。", "send_at": "2026-12-08T10:00:00+08:00"},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["body_text"], changed.json()["send_at"]) == ("改到十点。", "2026-12-08T02:00:00Z")

    assert api.delete(f"{URL}/{ticket.pk}/threads/{thread.pk}").status_code == 204
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_after_it_went_patch_and_delete_answer_409(api, ticket, clock):
    thread_id = post(api, ticket, send_at="2026-12-07T09:05:00Z").json()["id"]
    clock.move_to(START + dt.timedelta(minutes=5))
    assert scheduled_replies_send_due() == 1
    sent = api.get(f"{URL}/{ticket.pk}/threads").json()["items"][-1]
    assert (sent["id"], sent["scheduled"], sent["send_at"]) == (thread_id, False, "2026-12-07T09:05:00Z")
    message = "This reply has already been sent; it can no longer be changed or cancelled."
    error = error_of(api.patch_json(f"{URL}/{ticket.pk}/threads/{thread_id}", {"body": "晚了"}), 409)
    assert error["message"] == message
    error = error_of(api.delete(f"{URL}/{ticket.pk}/threads/{thread_id}"), 409)
    assert error["message"] == message
    assert Thread.objects.get(pk=thread_id).body_text == "明早九点上门。"


@pytest.mark.parametrize(
    ("send_at", "message"),
    [
        ("2026-12-07T08:00:00Z", "Choose a time in the future."),
        ("2028-01-01T00:00:00Z", "Choose a time within 365 days from now."),
        ("tomorrow morning", "Enter a date and time in ISO 8601, such as 2026-12-07T09:30:00+08:00."),
        (
            "2026-12-08T09:30:00",
            "Enter a date and time with its time zone offset, such as 2026-12-08T09:30:00+08:00.",
        ),
    ],
)
def test_bad_send_at_is_a_422_naming_it(api, ticket, send_at, message):
    before = Thread.objects.count()
    error = error_of(post(api, ticket, send_at=send_at), 422)
    assert error["fields"] == {"send_at": message}
    assert Thread.objects.count() == before


def test_bad_send_at_in_the_clients_language(api, ticket):
    response = api.post_json(
        f"{URL}/{ticket.pk}/threads",
        {"body": "好的", "cc": ["不是地址"], "send_at": "2026-12-07T08:00:00Z"},
        HTTP_ACCEPT_LANGUAGE="zh-Hans",
    )
    error = error_of(response, 422)
    assert error["fields"]["send_at"] == "请选择一个将来的时间。"
    assert set(error["fields"]) == {"cc", "send_at"}


def test_patch_names_bad_and_unknown_fields(api, ticket):
    thread_id = post(api, ticket, send_at="2026-12-08T09:30:00+08:00").json()["id"]
    error = error_of(
        api.patch_json(
            f"{URL}/{ticket.pk}/threads/{thread_id}", {"send_at": "2020-01-01T00:00:00Z", "to": []}
        ),
        422,
    )
    assert set(error["fields"]) == {"to"}
    error = error_of(
        api.patch_json(f"{URL}/{ticket.pk}/threads/{thread_id}", {"send_at": "2020-01-01T00:00:00Z"}), 422
    )
    assert error["fields"] == {"send_at": "Choose a time in the future."}


def test_permissions(api_client_for, agent, other_agent, light_agent, ticket):
    thread_id = post(api_client_for(agent), ticket, send_at="2026-12-08T09:30:00+08:00").json()["id"]
    path = f"{URL}/{ticket.pk}/threads/{thread_id}"
    assert api_client_for(None).delete(path).status_code == 401
    assert error_of(api_client_for(other_agent).delete(path), 404)
    assert error_of(api_client_for(other_agent).patch_json(path, {"body": "x"}), 404)
    assert Thread.objects.get(pk=thread_id).scheduled is True
    # Another ticket's id in the path does not reach this thread.
    other = post(api_client_for(agent), ticket, send_at="2026-12-08T09:30:00+08:00").json()["id"]
    assert other != thread_id
    assert error_of(api_client_for(agent).delete(f"{URL}/{ticket.pk + 999}/threads/{thread_id}"), 404)
    # A thread that is not a scheduled reply (the customer's first message) cannot be cancelled.
    first = Thread.objects.filter(ticket=ticket, scheduled=False).first()
    error_of(api_client_for(agent).delete(f"{URL}/{ticket.pk}/threads/{first.pk}"), 409)
    assert Thread.objects.filter(pk=first.pk).exists()


def test_why_it_did_not_go_in_the_clients_language(api, ticket, agent, clock):
    thread_id = post(api, ticket, send_at="2026-12-07T09:05:00Z").json()["id"]
    agent.departments.clear()
    clock.move_to(START + dt.timedelta(minutes=5))
    assert scheduled_replies_send_due() == 0
    agent.departments.add(ticket.department)
    items = api.get(f"{URL}/{ticket.pk}/threads", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["items"]
    [failed] = [item for item in items if item["id"] == thread_id]
    assert (failed["scheduled"], failed["delivery_status"]) == (True, "failed")
    assert failed["delivery_error"] == "安排此回复的客服已无法查看该工单。"
