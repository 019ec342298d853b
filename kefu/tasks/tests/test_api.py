"""The tasks API: exact payloads, filters, 422 naming every bad field in the client's language, events,
audit, and who may (another department's ticket and its tasks are a 404)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.tasks.models import Task
from kefu.tasks.tests.factories import task
from tests.helpers import error_of

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
TASKS = "/api/v1/tasks"

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_create_a_task_on_a_ticket_with_the_exact_payload(api, agent, create_ticket, published):
    ticket = create_ticket()
    response = api.post_json(
        TASKS,
        {
            "title": "给王芳回电话确认退款",
            "description": "她下午三点后有空。",
            "ticket_id": ticket.pk,
            "assignee_id": agent.user_id,
            "due_at": "2026-12-07T15:00:00+08:00",
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.content
    created = Task.objects.get()
    assert response.json() == {
        "id": created.pk,
        "title": "给王芳回电话确认退款",
        "description": "她下午三点后有空。",
        "ticket_id": ticket.pk,
        "assignee_id": agent.user_id,
        "due_at": "2026-12-07T07:00:00Z",
        "priority": "high",
        "done": False,
    }
    assert created.created_by_id == agent.user_id
    assert published("task.created") == [
        {
            "task_id": created.pk,
            "ticket_id": ticket.pk,
            "assignee_id": agent.user_id,
            "due_at": "2026-12-07T07:00:00+00:00",
            "done": False,
            "actor": {"kind": "agent", "id": agent.user_id},
        }
    ]
    assert AuditEntry.objects.filter(action="task.created", object_id=created.pk).count() == 1


def test_complete_reopen_and_delete(api, agent, create_ticket, published):
    ticket = create_ticket()
    created = task(ticket_id=ticket.pk, assignee_id=agent.user_id)
    response = api.patch_json(f"{TASKS}/{created.pk}", {"done": True})
    assert response.status_code == 200, response.content
    assert response.json()["done"] is True
    created.refresh_from_db()
    assert created.done_at is not None
    assert [p["task_id"] for p in published("task.completed")] == [created.pk]
    assert published("task.updated")[0]["fields"] == ["done"]
    assert api.patch_json(f"{TASKS}/{created.pk}", {"done": False}).json()["done"] is False
    assert [p["task_id"] for p in published("task.reopened")] == [created.pk]
    assert AuditEntry.objects.filter(action="task.updated", object_id=created.pk).count() == 2

    assert api.delete(f"{TASKS}/{created.pk}").status_code == 204
    assert not Task.objects.exists()
    assert [p["task_id"] for p in published("task.deleted")] == [created.pk]
    assert AuditEntry.objects.filter(action="task.deleted", object_id=created.pk).count() == 1


def test_bad_input_names_every_bad_field(api, create_ticket):
    error = error_of(
        api.post_json(
            TASKS,
            {"title": "", "priority": "asap", "due_at": "tomorrow", "done": "maybe", "colour": "red"},
        ),
        422,
    )
    assert set(error["fields"]) == {"title", "priority", "due_at", "done", "colour"}
    assert error["fields"]["colour"] == "Unknown field."
    error = error_of(
        api.post_json(TASKS, {"title": "回电话", "ticket_id": 999999, "assignee_id": 999999}), 422
    )
    assert error["fields"] == {"ticket_id": "No such ticket.", "assignee_id": "Unknown agent."}
    assert not Task.objects.exists()


def test_errors_speak_the_clients_language(api):
    error = error_of(
        api.post_json(
            TASKS, {"title": "回电话", "assignee_id": 999999}, headers={"Accept-Language": "zh-hans"}
        ),
        422,
    )
    assert error["message"] == "任务无效。"
    assert error["fields"] == {"assignee_id": "客服不存在。"}


def test_an_assignee_must_see_the_ticket(api, create_ticket, other_agent):
    ticket = create_ticket()
    error = error_of(
        api.post_json(TASKS, {"title": "换货", "ticket_id": ticket.pk, "assignee_id": other_agent.user_id}),
        422,
    )
    assert error["fields"] == {"assignee_id": "This agent cannot see the ticket."}


def test_another_departments_tasks_are_a_404(api_client_for, other_agent, create_ticket, agent):
    ticket = create_ticket()
    on_ticket = task(ticket_id=ticket.pk, assignee_id=agent.user_id)
    other = api_client_for(other_agent)
    assert error_of(other.get(f"{TASKS}/{on_ticket.pk}"), 404)
    assert error_of(other.patch_json(f"{TASKS}/{on_ticket.pk}", {"done": True}), 404)
    assert error_of(other.delete(f"{TASKS}/{on_ticket.pk}"), 404)
    error = error_of(other.post_json(TASKS, {"title": "偷看", "ticket_id": ticket.pk}), 422)
    assert error["fields"] == {"ticket_id": "No such ticket."}
    assert other.get(TASKS).json() == {"items": [], "next_cursor": None}
    on_ticket.refresh_from_db()
    assert on_ticket.done is False


def test_a_task_on_its_own_is_seen_by_its_creator_assignee_and_administrators(
    api_client_for, agent, department, admin_agent
):
    colleague = AgentFactory(departments=[department])
    mine = api_client_for(agent).post_json(TASKS, {"title": "整理退货流程", "assignee_id": agent.user_id})
    task_id = mine.json()["id"]
    assert error_of(api_client_for(colleague).get(f"{TASKS}/{task_id}"), 404)
    assert api_client_for(admin_agent).get(f"{TASKS}/{task_id}").status_code == 200


def test_only_creator_assignee_or_administrator_deletes(api_client_for, agent, department, create_ticket):
    ticket = create_ticket()
    created = task(ticket_id=ticket.pk)
    colleague = AgentFactory(departments=[department])
    error = error_of(api_client_for(colleague).delete(f"{TASKS}/{created.pk}"), 403)
    assert error["code"] == "permission_denied"
    assert Task.objects.filter(pk=created.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_list_filters(api, agent, create_ticket):
    ticket = create_ticket()
    overdue = task("逾期", assignee_id=agent.user_id, due_at=NOW - dt.timedelta(hours=1))
    today = task("今天", ticket_id=ticket.pk, assignee_id=agent.user_id, due_at=NOW + dt.timedelta(hours=3))
    later = task("以后", assignee_id=agent.user_id, due_at=NOW + dt.timedelta(days=3))
    undated = task("没有期限", assignee_id=agent.user_id)
    done = task("完成了", assignee_id=agent.user_id, done=True)
    task("别人的", ticket_id=ticket.pk)

    def ids(query: str) -> list[int]:
        response = api.get(f"{TASKS}?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(f"assignee_id={agent.user_id}") == [done.pk, undated.pk, later.pk, today.pk, overdue.pk]
    assert ids(f"ticket_id={ticket.pk}&assignee_id={agent.user_id}") == [today.pk]
    assert ids("done=true") == [done.pk]
    assert ids("due=overdue") == [overdue.pk]
    assert ids("due=today") == [today.pk]
    assert ids(f"due=upcoming&assignee_id={agent.user_id}") == [undated.pk, later.pk]
    error = error_of(api.get(f"{TASKS}?due=someday&done=perhaps"), 422)
    assert set(error["fields"]) == {"due", "done"}
