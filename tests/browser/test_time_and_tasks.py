"""Time tracking and tasks in a browser, in both languages: an agent runs a timer on a ticket (the clock
is moved, nothing sleeps) and sees the total, then adds a task on the ticket page, ticks it off and
finds it under Done on "My tasks"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from kefu.tasks.models import Task
from kefu.timetracking.models import TimeEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = {
    "en": {
        "time_spent": "Time spent",
        "start": "Start timer",
        "stop": "Stop timer",
        "total": "25 min",
        "tasks": "Tasks",
        "new_task": "New task",
        "add_task": "Add task",
        "my_tasks": "My tasks",
        "main_menu": "Main",
    },
    "zh-hans": {
        "time_spent": "已用工时",
        "start": "开始计时",
        "stop": "停止计时",
        "total": "25 分钟",
        "tasks": "任务",
        "new_task": "新建任务",
        "add_task": "添加任务",
        "my_tasks": "我的任务",
        "main_menu": "主导航",
    },
}


def test_run_a_timer_and_complete_a_task_from_the_ticket_page(signed_in, desk, lang, screenshot):
    words = WORDS[lang]
    page = signed_in
    ticket = desk.tickets[0]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        page.goto(f"/tickets/{ticket.pk}/")
        panel = page.get_by_test_id("ticket-time")
        expect(panel.get_by_role("heading")).to_have_text(words["time_spent"])
        panel.get_by_role("button", name=words["start"], exact=True).click()
        expect(panel.get_by_test_id("timer-running")).to_be_visible()

        clock.shift(dt.timedelta(minutes=24, seconds=30))
        panel.get_by_role("button", name=words["stop"], exact=True).click()
        expect(panel.get_by_test_id("time-total")).to_have_text(words["total"])
        expect(panel.get_by_test_id("timer-running")).to_have_count(0)
    entry = TimeEntry.objects.get()
    assert (entry.ticket_id, entry.agent_id, entry.minutes) == (ticket.pk, desk.agent.user_id, 25)

    card = page.get_by_test_id("ticket-tasks")
    expect(card.get_by_role("heading")).to_have_text(words["tasks"])
    card.get_by_label(words["new_task"], exact=True).fill("寄出替换件")
    card.get_by_role("button", name=words["add_task"], exact=True).click()
    item = card.get_by_label("寄出替换件", exact=True)
    expect(item).not_to_be_checked()
    item.check()
    expect(card.get_by_label("寄出替换件", exact=True)).to_be_checked()
    expect(card.get_by_text("寄出替换件", exact=True)).to_have_class(
        "text-decoration-line-through text-secondary"
    )
    task = Task.objects.get()
    assert (task.ticket_id, task.done, task.created_by_id) == (ticket.pk, True, desk.agent.user_id)
    screenshot(page, "ticket-time-and-tasks")

    page.get_by_role("navigation", name=words["main_menu"]).get_by_role(
        "link", name=words["my_tasks"]
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["my_tasks"])
    expect(page.get_by_test_id("tasks-done")).to_contain_text("寄出替换件")
