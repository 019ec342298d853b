"""The event log in words: one sentence per event, today's names, a bounded number of queries."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import AgentFactory, TeamFactory
from kefu.tickets.history_text import history_entries
from kefu.tickets.inputs import CommentInput, MessageInput, ReplyInput
from kefu.tickets.models import Priority, Status, TicketEvent
from kefu.tickets.services import (
    attachment_add,
    ticket_comment,
    ticket_follow,
    ticket_receive,
    ticket_reply,
    ticket_tag,
    ticket_update,
)


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


def sentences(ticket):
    return [entry.text for entry in history_entries(ticket.events.order_by("created_at", "id"))]


@pytest.mark.django_db
def test_every_kind_of_change_reads_as_a_sentence(ticket, agent, department):
    me = Actor.agent(agent.user)
    colleague = AgentFactory(user__name="王芳", departments=[department])
    team = TeamFactory(department=department, name="一线")
    in_progress = Status.objects.get(name="处理中")
    ticket_update(
        actor=me, source=Source.WEB, ticket=ticket, changes={"priority": Priority.objects.get(name="高").pk}
    )
    ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"status": in_progress.pk})
    ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"assignee_id": colleague.user.pk})
    ticket_update(
        actor=me, source=Source.WEB, ticket=ticket, changes={"assignee_id": None, "team_id": team.pk}
    )
    ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"category": "硬件"})
    ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"category": ""})
    ticket_tag(actor=me, source=Source.WEB, ticket=ticket, add=["VIP"])
    ticket_tag(actor=me, source=Source.WEB, ticket=ticket, remove=["VIP"])
    ticket_reply(actor=me, source=Source.WEB, ticket=ticket, data=ReplyInput(body="好"))
    ticket_comment(actor=me, source=Source.WEB, ticket=ticket, data=CommentInput(body="内部"))
    ticket_comment(actor=me, source=Source.WEB, ticket=ticket, data=CommentInput(body="公开", is_public=True))
    ticket_receive(
        actor=Actor.contact(ticket.contact),
        source=Source.EMAIL,
        ticket=ticket,
        data=MessageInput(body="谢谢"),
    )
    attachment_add(
        actor=me, source=Source.WEB, ticket=ticket, filename="日志.txt", content=io.BytesIO(b"log")
    )
    ticket_follow(actor=me, source=Source.WEB, ticket=ticket, user=agent.user)
    ticket_follow(actor=me, source=Source.WEB, ticket=ticket, user=colleague.user)
    assert sentences(ticket) == [
        "The system created the ticket",
        "张伟 changed priority from Medium to High",
        "张伟 changed status from New to In progress",
        "张伟 assigned the ticket to 王芳",
        "张伟 set team to 一线",
        "张伟 unassigned the ticket",
        "张伟 set category to 硬件",
        "张伟 cleared category (was 硬件)",
        "张伟 added the tag VIP",
        "张伟 removed the tag VIP",
        "张伟 replied to the customer",
        "张伟 added an internal comment",
        "张伟 added a public comment",
        "王芳 sent a message",
        "张伟 attached 日志.txt",
        "张伟 started following the ticket",
        "张伟 added 王芳 as a follower",
    ]


@pytest.mark.django_db
def test_names_are_todays_and_in_the_viewers_language(ticket, agent):
    high = Priority.objects.get(name="高")
    ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"priority": high.pk}
    )
    high.name_en = "Urgent"
    high.save()
    assert sentences(ticket)[-1] == "张伟 changed priority from Medium to Urgent"
    with translation.override("zh-hans"):
        assert history_entries([TicketEvent.objects.latest("id")])[0].text.endswith("高")


@pytest.mark.django_db
def test_a_deleted_object_keeps_the_name_it_had(ticket, agent, department):
    team = TeamFactory(department=department, name="二线")
    ticket_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, changes={"team_id": team.pk}
    )
    team.delete()
    assert sentences(ticket)[-1] == "张伟 set team to 二线"


@pytest.mark.django_db
def test_the_source_is_named_when_it_is_not_the_console(ticket):
    entry = history_entries([TicketEvent.objects.get(ticket=ticket)])[0]
    assert (entry.text, entry.source) == ("The system created the ticket", "by an import")


@pytest.mark.django_db
def test_an_unknown_action_still_reads(ticket):
    event = TicketEvent.objects.get(ticket=ticket)
    event.action, event.actor_kind, event.actor_name = "merged", "agent", "张伟"
    assert history_entries([event])[0].text == "张伟: merged"


@pytest.mark.django_db
def test_a_custom_field_change_names_the_field(ticket, agent):
    event = TicketEvent(
        ticket=ticket, created_at=ticket.created_at, actor_kind="agent", actor_name="张伟", source="web",
        action="updated", field="custom_fields", old_value={"qty": 1}, new_value={"qty": 2, "model": "M1"},
    )  # fmt: skip
    assert history_entries([event])[0].text == "张伟 set model to M1; 张伟 changed qty from 1 to 2"


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_number_of_events(ticket, agent, department):
    me = Actor.agent(agent.user)
    teams = [TeamFactory(department=department) for _ in range(6)]
    for team in teams[:2]:
        ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"team_id": team.pk})
    few = list(ticket.events.all())
    priorities = list(Priority.objects.order_by("order")[:2])
    for index, team in enumerate(teams[2:]):
        ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"team_id": team.pk})
        priority = priorities[index % 2]
        ticket_update(actor=me, source=Source.WEB, ticket=ticket, changes={"priority": priority.pk})
    many = list(ticket.events.all())
    with CaptureQueriesContext(connection) as small:
        history_entries(few)
    with CaptureQueriesContext(connection) as large:
        history_entries(many)
    assert len(small) == 1
    assert len(large) == 2


@pytest.mark.django_db
def test_rows_of_one_change_set_and_of_the_new_vocabulary_read_as_before(create_ticket, agent, department):
    """Follow-ups, reopening, CC and the first response: the new rows read like the old ones did."""
    me = Actor.agent(agent.user)
    earlier = create_ticket()
    ticket_update(actor=me, source=Source.WEB, ticket=earlier, changes={"status": "已关闭"})
    follow_up = create_ticket(follow_up_of_id=earlier.pk, subject="又坏了")
    assert sentences(follow_up) == [
        f"The system opened the ticket as a follow-up of ticket {earlier.number}",
    ]
    ticket_receive(
        actor=Actor.contact(earlier.contact),
        source=Source.EMAIL,
        ticket=earlier,
        data=MessageInput(body="还是不行", keep_in_cc=["boss@example.cn"]),
    )
    ticket_reply(actor=me, source=Source.WEB, ticket=earlier, data=ReplyInput(body="好"))
    assert sentences(earlier) == [
        "The system created the ticket",
        "张伟 changed status from New to Closed",
        # One change-set: the message reopened the ticket and brought a colleague in CC.
        "王芳 changed status from Closed to New",
        "王芳 added boss@example.cn in CC",
        "王芳 sent a message",
        # The first response time is bookkeeping: not a sentence of its own.
        "张伟 replied to the customer",
    ]


LEGACY = [
    # (action, field, old_value, new_value) as rows were written before change-sets, and their sentence.
    ("created", "", None, {"number": 7, "subject": "打印机"}, "The system created the ticket"),
    (
        "follow_up",
        "follow_up_of",
        None,
        {"id": 1, "number": 3},
        "The system opened the ticket as a follow-up of ticket 3",
    ),
    ("assigned", "assignee", None, {"id": 987654, "name": "李雷"}, "The system assigned the ticket to 李雷"),
    (
        "status_changed",
        "status",
        {"id": 987654, "name": "旧"},
        {"id": 987655, "name": "新"},
        "The system changed status from 旧 to 新",
    ),
    ("updated", "category", "", "硬件", "The system set category to 硬件"),
    ("tagged", "tags", None, "VIP", "The system added the tag VIP"),
    ("untagged", "tags", "VIP", None, "The system removed the tag VIP"),
    (
        "cc_added",
        "cc_contacts",
        None,
        {"id": 5, "email": "boss@example.cn"},
        "The system added boss@example.cn in CC",
    ),
    (
        "cc_removed",
        "cc_contacts",
        {"id": 5, "email": "boss@example.cn"},
        None,
        "The system removed boss@example.cn from CC",
    ),
    ("replied", "threads", None, {"id": 1}, "The system replied to the customer"),
    ("received", "threads", None, {"id": 2}, "The system sent a message"),
    ("commented", "comments", None, {"id": 1, "public": True}, "The system added a public comment"),
    ("attachment_added", "attachments", None, {"id": 1, "name": "日志.txt"}, "The system attached 日志.txt"),
    ("followed", "followers", None, {"id": 987654, "name": "李雷"}, "The system added 李雷 as a follower"),
    (
        "unfollowed",
        "followers",
        None,
        {"id": 987654, "name": "李雷"},
        "The system removed 李雷 from the followers",
    ),
    ("deleted", "deleted_at", None, "2026-11-01T08:00:00+00:00", "The system moved the ticket to the trash"),
    (
        "delivery_sent",
        "delivery_status",
        "queued",
        {"thread_id": 1, "status": "sent", "error": ""},
        "The reply was delivered to the mail server",
    ),
    (
        "delivery_failed",
        "delivery_status",
        "queued",
        {"thread_id": 1, "status": "failed", "error": "550"},
        "Sending the reply failed: 550",
    ),
]


@pytest.mark.django_db
def test_rows_migrated_from_the_old_vocabulary_read_as_they_did(department):
    from importlib import import_module

    from django.apps import apps

    from kefu.tickets.tests.factories import TicketEventFactory, TicketFactory

    migration = import_module("kefu.tickets.migrations.0005_event_change_sets")
    ticket = TicketFactory(department=department)
    for action, field, old, new, _sentence in LEGACY:
        TicketEventFactory(ticket=ticket, action=action, field=field, old_value=old, new_value=new)
    migration._forward(apps, None)
    assert not ticket.events.exclude(action__startswith="ticket.").exists()
    assert sentences(ticket) == [sentence for *_row, sentence in LEGACY]
