"""Merging tickets (API, permissions, undo, the console) and splitting a message into a new ticket."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput
from kefu.tickets.models import Comment, Thread, Ticket, TicketEvent
from kefu.tickets.services import ticket_comment, ticket_follow, ticket_receive, ticket_reply, ticket_tag
from tests.helpers import error_of

URL = "/api/v1/tickets"


@pytest.fixture
def api_client_for(api_client_for):
    """API clients that ask for English, whatever the key owner's language."""

    def make(agent):
        client = api_client_for(agent)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("status").get(pk=ticket.pk)


@pytest.fixture
def pair(create_ticket, agent):
    """Two tickets about the same delayed order, from two customers; the second has a reply, a comment,
    CC, a follower, a tag and a child."""
    target = create_ticket(subject="订单 KF8812 延迟发货")
    merged = create_ticket(
        subject="我的订单还没发货", contact=ContactRef(email="li.na@example.cn", name="李娜")
    )
    actor = Actor.agent(agent.user)
    ticket_reply(actor=actor, source=Source.WEB, ticket=merged, data=ReplyInput(body="正在催促仓库"))
    ticket_comment(actor=actor, source=Source.WEB, ticket=merged, data=CommentInput(body="仓库缺货"))
    merged.cc_contacts.add(ContactFactory(email="boss@example.cn"))
    follower = AgentFactory(departments=[merged.department]).user
    ticket_follow(actor=Actor.agent(follower), source=Source.WEB, ticket=merged, user=follower)
    ticket_tag(actor=actor, source=Source.WEB, ticket=merged, add=["延迟"])
    child = create_ticket(subject="仓库补货", parent_id=merged.pk)
    return target, merged, child, follower


@pytest.mark.django_db
def test_merge_moves_everything_and_the_merged_ticket_answers_301(api, pair):
    target, merged, child, follower = pair
    threads = set(merged.threads.values_list("pk", flat=True))
    events = set(TicketEvent.objects.filter(ticket=merged).values_list("pk", flat=True))
    response = api.post_json(f"{URL}/{target.pk}/merge", {"ticket_ids": [merged.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk
    assert set(target.threads.values_list("pk", flat=True)) >= threads
    assert Comment.objects.get(body_text="仓库缺货").ticket_id == target.pk
    assert events <= set(TicketEvent.objects.filter(ticket=target).values_list("pk", flat=True))
    assert sorted(target.cc_contacts.values_list("email", flat=True)) == [
        "boss@example.cn",
        "li.na@example.cn",
    ]
    assert list(target.followers.all()) == [follower]
    assert [tag.name for tag in target.tags.all()] == ["延迟"]
    assert reload(child).parent_id == target.pk
    merged = reload(merged)
    assert (merged.merged_into_id, merged.status.status_type) == (target.pk, "closed")
    assert merged.threads.count() == 0
    assert TicketEvent.objects.get(ticket=merged, field="merged_into").new_value == {
        "id": target.pk,
        "number": target.number,
    }
    assert TicketEvent.objects.get(ticket=target, field="merged").new_value == [
        {"id": merged.pk, "number": merged.number}
    ]

    moved = api.get(f"{URL}/{merged.pk}")
    assert (moved.status_code, moved.json(), moved["Location"]) == (
        301,
        {"merged_into": target.pk},
        f"{URL}/{target.pk}",
    )
    assert api.get(f"{URL}/{merged.pk}/threads?limit=5")["Location"] == f"{URL}/{target.pk}/threads?limit=5"
    assert api.get(f"{URL}/{target.pk}").json()["merged_into_id"] is None


@pytest.mark.django_db
def test_undo_within_ten_minutes_gives_everything_back(api, pair):
    target, merged, child, _follower = pair
    threads = set(merged.threads.values_list("pk", flat=True))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api.post_json(f"{URL}/{target.pk}/merge", {"ticket_ids": [merged.pk]})
        clock.shift(dt.timedelta(minutes=9))
        undone = api.post(f"{URL}/{merged.pk}/unmerge")
    assert undone.status_code == 200, undone.content
    merged = reload(merged)
    assert (merged.merged_into_id, merged.status.name) == (None, "新建")
    assert set(merged.threads.values_list("pk", flat=True)) == threads
    assert list(target.cc_contacts.all()) == []
    assert list(target.followers.all()) == []
    assert list(target.tags.all()) == []
    assert reload(child).parent_id == merged.pk
    assert api.get(f"{URL}/{merged.pk}").status_code == 200


@pytest.mark.django_db
def test_undo_after_ten_minutes_is_refused(api, pair):
    target, merged, *_ = pair
    with time_machine.travel(timezone.now(), tick=False) as clock:
        api.post_json(f"{URL}/{target.pk}/merge", {"ticket_ids": [merged.pk]})
        clock.shift(dt.timedelta(minutes=11))
        late = api.post(f"{URL}/{merged.pk}/unmerge")
    assert error_of(late, 409)["message"] == "A merge can be undone for 10 minutes only."
    assert reload(merged).merged_into_id == target.pk


@pytest.mark.django_db
def test_bad_input_names_every_bad_id(api, pair, create_ticket, other_department):
    target, merged, *_ = pair
    hidden = create_ticket(department_id=other_department.pk)
    api.post_json(f"{URL}/{target.pk}/merge", {"ticket_ids": [merged.pk]})
    fresh = create_ticket()
    error = error_of(
        api.post_json(f"{URL}/{fresh.pk}/merge", {"ticket_ids": [fresh.pk, 987654, hidden.pk, merged.pk]}),
        422,
    )
    assert error["fields"] == {
        "ticket_ids.0": "A ticket cannot be merged into itself.",
        "ticket_ids.1": "Unknown id 987654.",
        "ticket_ids.2": f"Unknown id {hidden.pk}.",
        "ticket_ids.3": f"Ticket {merged.number} was already merged.",
    }
    assert error_of(api.post_json(f"{URL}/{fresh.pk}/merge", {"ticket_ids": []}), 422)["fields"] == {
        "ticket_ids": "Choose at least one ticket."
    }
    assert reload(hidden).merged_into_id is None


@pytest.mark.django_db
def test_a_light_agent_may_not_merge_and_two_departments_need_both(
    api_client_for, light_agent, admin_agent, create_ticket, other_department
):
    first = create_ticket()
    second = create_ticket()
    denied = api_client_for(light_agent).post_json(f"{URL}/{first.pk}/merge", {"ticket_ids": [second.pk]})
    assert error_of(denied, 403)["code"] == "permission_denied"
    assert reload(second).merged_into_id is None
    elsewhere = create_ticket(department_id=other_department.pk)
    merged = api_client_for(admin_agent).post_json(f"{URL}/{first.pk}/merge", {"ticket_ids": [elsewhere.pk]})
    assert merged.status_code == 200, merged.content
    assert reload(elsewhere).merged_into_id == first.pk


@pytest.mark.django_db
def test_split_moves_a_message_to_a_new_linked_ticket(api, create_ticket, agent):
    ticket = create_ticket(subject="打印机和路由器都坏了")
    thread = ticket_receive(
        actor=Actor.contact(ticket.contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="另外路由器也连不上", subject="路由器问题"),
    )
    response = api.post(f"{URL}/{ticket.pk}/threads/{thread.pk}/split")
    assert response.status_code == 201, response.content
    new = Ticket.objects.get(pk=response.json()["id"])
    assert (new.split_from_id, new.subject, new.contact_id) == (ticket.pk, "路由器问题", ticket.contact_id)
    assert response.json()["split_from_id"] == ticket.pk
    assert Thread.objects.get(pk=thread.pk).ticket_id == new.pk
    assert TicketEvent.objects.get(ticket=ticket, field="split").new_value == {
        "id": new.pk,
        "number": new.number,
        "thread_id": thread.pk,
    }
    first = ticket.threads.get()
    refused = api.post(f"{URL}/{ticket.pk}/threads/{first.pk}/split")
    assert error_of(refused, 422)["fields"] == {"thread_id": "The first message cannot be split off."}
    assert api.post(f"{URL}/{ticket.pk}/threads/987654/split").status_code == 404


@pytest.mark.django_db
def test_the_console_merges_redirects_and_undoes(client, agent, pair):
    target, merged, *_ = pair
    client.force_login(agent.user)
    page = client.get(reverse("tickets:detail", args=[target.pk])).content.decode()
    assert 'id="merge-numbers"' in page
    response = client.post(reverse("tickets:merge", args=[target.pk]), {"numbers": f"#{merged.number}"})
    assert response.status_code == 302
    assert reload(merged).merged_into_id == target.pk
    redirected = client.get(reverse("tickets:detail", args=[merged.pk]))
    assert redirected["Location"] == reverse("tickets:detail", args=[target.pk])
    page = client.get(reverse("tickets:detail", args=[target.pk])).content.decode()
    assert 'data-testid="undo-merge"' in page
    assert client.post(reverse("tickets:unmerge", args=[merged.pk])).status_code == 302
    assert reload(merged).merged_into_id is None
    unknown = client.post(reverse("tickets:merge", args=[target.pk]), {"numbers": "999999"}, follow=True)
    assert "No ticket you can see has the number 999999." in unknown.content.decode()
