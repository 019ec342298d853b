"""Tasks in the console: the ticket's task card (add, tick off, errors per field), the "My tasks" page
with its four groups, the navigation link, and another department's ticket as a 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.core.models import OutboxEvent
from kefu.tasks.inputs import TaskInput
from kefu.tasks.models import Task
from kefu.tasks.services import task_create
from kefu.tasks.tests.factories import task
from kefu.tickets.services import ticket_merge

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@time_machine.travel(NOW, tick=False)
def test_add_and_tick_off_a_task_on_the_ticket(signed_in, agent, create_ticket):
    ticket = create_ticket()
    card = signed_in.post(
        reverse("tasks:ticket-add", args=[ticket.pk]),
        {
            "title": "寄出替换件",
            "assignee_id": str(agent.user_id),
            "due_at": "2026-12-07T16:00",
            "priority": "high",
        },
    )
    assert card.status_code == 200
    created = Task.objects.get()
    assert (created.title, created.ticket_id, created.assignee_id, created.priority) == (
        "寄出替换件",
        ticket.pk,
        agent.user_id,
        "high",
    )
    assert created.due_at == dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)  # 16:00 in the agent's zone
    assert "寄出替换件" in card.content.decode()

    ticked = signed_in.post(reverse("tasks:toggle", args=[created.pk]), {"from": "ticket"})
    assert ticked.status_code == 200
    assert b'data-testid="ticket-tasks"' in ticked.content
    created.refresh_from_db()
    assert created.done is True
    assert OutboxEvent.objects.filter(event_type="task.completed").count() == 1


def test_bad_input_names_every_field(signed_in, create_ticket):
    ticket = create_ticket()
    card = signed_in.post(
        reverse("tasks:ticket-add", args=[ticket.pk]),
        {"title": "", "assignee_id": "999999", "due_at": "明天", "priority": "asap"},
    )
    assert card.status_code == 422
    text = card.content.decode()
    assert "This field is required." in text
    assert "Unknown agent." in text
    assert "Enter a date and time." in text
    assert "Choose one of: low, normal, high, urgent." in text
    assert not Task.objects.exists()


def test_bad_input_in_chinese(signed_in, create_ticket):
    signed_in.cookies["django_language"] = "zh-hans"
    ticket = create_ticket()
    card = signed_in.post(
        reverse("tasks:ticket-add", args=[ticket.pk]),
        {"title": " ", "due_at": "明天"},
        headers={"Accept-Language": "zh-hans"},
    )
    assert card.status_code == 422
    text = card.content.decode()
    assert "任务无效。" in text
    assert "此字段为必填项。" in text
    assert "请输入日期和时间。" in text


def test_another_departments_ticket_is_a_404(client, other_agent, agent, create_ticket):
    ticket = create_ticket()
    created = task(ticket_id=ticket.pk, assignee_id=agent.user_id)
    client.force_login(other_agent.user)
    assert client.get(reverse("tasks:ticket-card", args=[ticket.pk])).status_code == 404
    assert client.post(reverse("tasks:ticket-add", args=[ticket.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("tasks:toggle", args=[created.pk])).status_code == 404
    assert client.post(reverse("tasks:delete", args=[created.pk])).status_code == 404
    created.refresh_from_db()
    assert created.done is False


@time_machine.travel(NOW, tick=False)
def test_my_tasks_groups(signed_in, agent, create_ticket):
    ticket = create_ticket()
    task("逾期的任务", assignee_id=agent.user_id, due_at=NOW - dt.timedelta(hours=2))
    task("今天的任务", ticket_id=ticket.pk, assignee_id=agent.user_id, due_at=NOW + dt.timedelta(hours=3))
    task("以后的任务", assignee_id=agent.user_id, due_at=NOW + dt.timedelta(days=2))
    task("做完的任务", assignee_id=agent.user_id, done=True)
    task("别人的任务", ticket_id=ticket.pk)
    task_create(actor=Actor.agent(agent.user), source=Source.WEB, data=TaskInput(title="我记下的任务"))
    page = signed_in.get(reverse("tasks:mine"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'aria-current="page">My tasks<' in text

    def section(key: str) -> str:
        start = text.index(f'data-testid="tasks-{key}"')
        return text[start : text.index("</section>", start)]

    assert "逾期的任务" in section("overdue")
    assert "今天的任务" in section("today")
    assert "以后的任务" in section("upcoming")
    assert "我记下的任务" in section("upcoming")  # created by the agent, assigned to nobody
    assert "做完的任务" in section("done")
    assert "别人的任务" not in text


def test_add_a_task_on_its_own_from_my_tasks(signed_in, agent):
    response = signed_in.post(reverse("tasks:add"), {"title": "整理退货流程", "priority": "low"})
    assert response.status_code == 302
    created = Task.objects.get()
    assert (created.ticket_id, created.assignee_id, created.created_by_id) == (
        None,
        agent.user_id,
        agent.user_id,
    )
    bad = signed_in.post(reverse("tasks:add"), {"title": "", "priority": "asap"})
    assert bad.status_code == 422
    assert "This field is required." in bad.content.decode()


def test_card_query_count_is_fixed(signed_in, agent, create_ticket):
    ticket = create_ticket()
    url = reverse("tasks:ticket-card", args=[ticket.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url).status_code == 200
        return len(queries)

    task(ticket_id=ticket.pk, assignee_id=agent.user_id)
    signed_in.get(url)
    one = count()
    for number in range(6):
        task(f"任务{number}", ticket_id=ticket.pk, assignee_id=agent.user_id)
    assert count() == one


def test_ticking_a_box_on_my_tasks_answers_the_groups_in_place(signed_in, agent):
    created = task("对账", assignee_id=agent.user_id)
    response = signed_in.post(reverse("tasks:toggle", args=[created.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    start = text.index('data-testid="tasks-done"')
    assert "对账" in text[start:]
    created.refresh_from_db()
    assert created.done is True


@time_machine.travel(NOW, tick=False)
def test_edit_a_task_on_the_ticket_and_on_my_tasks(signed_in, agent, department, create_ticket):
    ticket = create_ticket()
    created = task("寄出替换件", ticket_id=ticket.pk, due_at=NOW + dt.timedelta(hours=1))
    card = signed_in.get(reverse("tasks:ticket-card", args=[ticket.pk])).content.decode()
    assert 'value="2026-12-07T11:00"' in card  # the due time in the agent's zone (Shanghai)
    response = signed_in.post(
        reverse("tasks:edit", args=[created.pk]),
        {
            "from": "ticket",
            "title": "寄出替换件（顺丰）",
            "description": "",
            "due_at": "2026-12-08T09:30",
            "priority": "urgent",
            "assignee_id": str(agent.user_id),
        },
    )
    assert response.status_code == 200
    created.refresh_from_db()
    assert (created.title, created.priority, created.assignee_id) == (
        "寄出替换件（顺丰）",
        "urgent",
        agent.user_id,
    )
    assert created.due_at == dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)

    bad = signed_in.post(
        reverse("tasks:edit", args=[created.pk]),
        {"title": "", "due_at": "后天", "priority": "whenever", "description": ""},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "This field is required." in text
    assert "Enter a date and time." in text
    assert "Choose one of: low, normal, high, urgent." in text
    assert 'value="后天"' in text  # what was typed stays
    created.refresh_from_db()
    assert created.title == "寄出替换件（顺丰）"


def test_a_merged_tickets_tasks_show_on_its_target(signed_in, agent, create_ticket):
    target = create_ticket()
    merged = create_ticket(subject="打印机又连不上了")
    moved = task("上门检修", ticket_id=merged.pk, assignee_id=agent.user_id)
    ticket_merge(actor=Actor.agent(agent.user), source=Source.API, target=target, ticket_ids=[merged.pk])
    card = signed_in.get(reverse("tasks:ticket-card", args=[target.pk])).content.decode()
    assert "上门检修" in card
    ticked = signed_in.post(
        reverse("tasks:toggle", args=[moved.pk]), {"from": "ticket", "ticket": str(target.pk)}
    )
    assert reverse("tasks:ticket-add", args=[target.pk]) in ticked.content.decode()  # the target's card
    moved.refresh_from_db()
    assert moved.done is True
