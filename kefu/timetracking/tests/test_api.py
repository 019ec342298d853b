"""The time-entries API: exact payloads, totals, 422 naming every bad field (in the client's language),
and who may: agents who see the ticket log their own time, administrators anyone's; another
department's ticket is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kefu.core.actors import Actor, Source
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.services import ticket_merge, ticket_merge_undo
from kefu.timetracking.models import TimeEntry
from kefu.timetracking.tests.factories import time_entry
from tests.helpers import error_of

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def entries_url(ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/time-entries"


@time_machine.travel(NOW, tick=False)
def test_an_agent_logs_time_and_lists_it_with_totals(api, agent, create_ticket):
    ticket = create_ticket()
    response = api.post_json(
        entries_url(ticket), {"minutes": 25, "date": "2026-12-06", "billable": False, "note": "远程排查"}
    )
    assert response.status_code == 201, response.content
    entry = TimeEntry.objects.get()
    assert response.json() == {
        "id": entry.pk,
        "agent_id": agent.user_id,
        "minutes": 25,
        "date": "2026-12-06",
        "billable": False,
        "note": "远程排查",
    }
    assert api.post_json(entries_url(ticket), {"minutes": 40}).status_code == 201
    second = TimeEntry.objects.latest("id")
    assert second.date == dt.date(2026, 12, 7)  # today in the agent's zone
    assert second.billable is True

    listed = api.get(entries_url(ticket))
    assert listed.status_code == 200
    assert listed.json() == {
        "items": [
            {
                "id": second.pk,
                "agent_id": agent.user_id,
                "minutes": 40,
                "date": "2026-12-07",
                "billable": True,
                "note": "",
            },
            {
                "id": entry.pk,
                "agent_id": agent.user_id,
                "minutes": 25,
                "date": "2026-12-06",
                "billable": False,
                "note": "远程排查",
            },
        ],
        "next_cursor": None,
        "total_minutes": 65,
        "billable_minutes": 40,
    }
    assert AuditEntry.objects.filter(action="time_entry.created", object_id=entry.pk).count() == 1


@time_machine.travel(NOW, tick=False)
def test_bad_input_names_every_bad_field(api, create_ticket):
    ticket = create_ticket()
    error = error_of(
        api.post_json(entries_url(ticket), {"minutes": 0, "billable": "maybe", "note": "x" * 1001, "sla": 1}),
        422,
    )
    assert set(error["fields"]) == {"minutes", "billable", "note", "sla"}
    assert error["fields"]["minutes"] == "Enter a value of at least 1."
    assert error["fields"]["sla"] == "Unknown field."

    error = error_of(
        api.post_json(entries_url(ticket), {"minutes": 30, "date": "2026-12-09", "agent_id": 999999}), 422
    )
    assert error["fields"] == {"agent_id": "Unknown agent.", "date": "The date cannot be in the future."}
    assert not TimeEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_errors_speak_the_clients_language(api, create_ticket):
    ticket = create_ticket()
    error = error_of(
        api.post_json(
            entries_url(ticket), {"minutes": 30, "date": "2027-01-01"}, headers={"Accept-Language": "zh-hans"}
        ),
        422,
    )
    assert error["fields"] == {"date": "日期不能晚于今天。"}
    error = error_of(
        api.post_json(entries_url(ticket), {"minutes": 2000}, headers={"Accept-Language": "zh-hans"}), 422
    )
    assert error["fields"] == {"minutes": "请输入不大于 1440 的值。"}


def test_another_departments_ticket_is_a_404(api_client_for, other_agent, create_ticket, agent):
    ticket = create_ticket()
    entry = time_entry(ticket, agent)
    other = api_client_for(other_agent)
    assert error_of(other.get(entries_url(ticket)), 404)["code"] == "not_found"
    assert error_of(other.post_json(entries_url(ticket), {"minutes": 5}), 404)["code"] == "not_found"
    assert error_of(other.patch_json(f"/api/v1/time-entries/{entry.pk}", {"minutes": 5}), 404)
    assert error_of(other.delete(f"/api/v1/time-entries/{entry.pk}"), 404)
    assert TimeEntry.objects.get().minutes == 30


def test_anonymous_is_refused(api_client_for, create_ticket):
    ticket = create_ticket()
    assert error_of(api_client_for(None).get(entries_url(ticket)), 401)


def test_an_agent_logs_and_edits_only_their_own_time(api, agent, department, create_ticket):
    ticket = create_ticket()
    colleague = AgentFactory(departments=[department])
    theirs = time_entry(ticket, colleague)
    error = error_of(api.post_json(entries_url(ticket), {"minutes": 10, "agent_id": colleague.user_id}), 403)
    assert error["fields"] == {"agent_id": "Only administrators can log time for others."}
    assert error_of(api.patch_json(f"/api/v1/time-entries/{theirs.pk}", {"minutes": 5}), 403)
    assert error_of(api.delete(f"/api/v1/time-entries/{theirs.pk}"), 403)
    theirs.refresh_from_db()
    assert theirs.minutes == 30

    mine = time_entry(ticket, agent, minutes=15)
    response = api.patch_json(f"/api/v1/time-entries/{mine.pk}", {"minutes": 20, "billable": False})
    assert response.status_code == 200, response.content
    assert response.json()["minutes"] == 20
    assert response.json()["billable"] is False
    audit = AuditEntry.objects.get(action="time_entry.updated", object_id=mine.pk)
    assert audit.changes == {"minutes": ["15", "20"], "billable": ["True", "False"]}
    assert api.delete(f"/api/v1/time-entries/{mine.pk}").status_code == 204
    assert not TimeEntry.objects.filter(pk=mine.pk).exists()
    assert AuditEntry.objects.filter(action="time_entry.deleted", object_id=mine.pk).count() == 1


def test_an_administrator_edits_anyones_time(api_client_for, admin_agent, agent, create_ticket):
    ticket = create_ticket()
    admin = api_client_for(admin_agent)
    entry = time_entry(ticket, agent)
    response = admin.patch_json(f"/api/v1/time-entries/{entry.pk}", {"minutes": 45, "note": "核对后修正"})
    assert response.status_code == 200, response.content
    assert response.json()["minutes"] == 45
    created = admin.post_json(
        entries_url(ticket), {"minutes": 10, "agent_id": agent.user_id, "date": "2026-12-01"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["agent_id"] == agent.user_id
    assert admin.delete(f"/api/v1/time-entries/{entry.pk}").status_code == 204


def test_a_patch_may_not_empty_required_fields(api, agent, create_ticket):
    entry = time_entry(create_ticket(), agent)
    error = error_of(api.patch_json(f"/api/v1/time-entries/{entry.pk}", {"minutes": None, "date": None}), 422)
    assert error["fields"] == {
        "minutes": "This field cannot be empty.",
        "date": "This field cannot be empty.",
    }


def test_totals_per_ticket_contact_account_and_agent(api, agent, department, other_department, create_ticket):
    colleague = AgentFactory(departments=[department])
    ticket = create_ticket()
    second = create_ticket(subject="发票抬头开错了")
    hidden = create_ticket(department_id=other_department.pk)
    time_entry(ticket, agent, minutes=30, date=dt.date(2026, 12, 1))
    time_entry(ticket, colleague, minutes=45, billable=False, date=dt.date(2026, 12, 2))
    time_entry(second, agent, minutes=20, date=dt.date(2026, 12, 3))
    time_entry(hidden, AgentFactory(departments=[other_department]), minutes=600)
    totals = "/api/v1/time-entries/totals"

    assert api.get(f"{totals}?ticket_id={ticket.pk}").json() == {
        "minutes": 75,
        "billable_minutes": 30,
        "per_agent": [
            {"agent_id": colleague.user_id, "minutes": 45, "billable_minutes": 0},
            {"agent_id": agent.user_id, "minutes": 30, "billable_minutes": 30},
        ],
    }
    assert api.get(f"{totals}?contact_id={ticket.contact_id}").json()["minutes"] == 95  # not the 600
    assert api.get(f"{totals}?agent_id={agent.user_id}").json()["minutes"] == 50
    assert api.get(f"{totals}?agent_id={agent.user_id}&date_from=2026-12-02").json()["minutes"] == 20
    assert api.get(f"{totals}?account_id=999").json() == {
        "minutes": 0,
        "billable_minutes": 0,
        "per_agent": [],
    }
    error = error_of(api.get(f"{totals}?date_from=2026-12-05&date_to=2026-12-01"), 422)
    assert error["fields"] == {"date_to": "Pick a date on or after the start."}
    error = error_of(api.get(f"{totals}?date_from=someday&agent_id=abc"), 422)
    assert set(error["fields"]) == {"date_from", "agent_id"}


def test_a_merged_tickets_time_counts_on_its_target_until_the_merge_is_undone(api, agent, create_ticket):
    target = create_ticket()
    merged = create_ticket(subject="打印机又连不上了")
    time_entry(target, agent, minutes=30)
    time_entry(merged, agent, minutes=15)
    ticket_merge(actor=Actor.agent(agent.user), source=Source.API, target=target, ticket_ids=[merged.pk])
    body = api.get(entries_url(target)).json()
    assert (body["total_minutes"], len(body["items"])) == (45, 2)
    assert api.get(f"/api/v1/time-entries/totals?ticket_id={target.pk}").json()["minutes"] == 45

    merged.refresh_from_db()
    ticket_merge_undo(actor=Actor.agent(agent.user), source=Source.API, merged=merged)
    assert api.get(entries_url(target)).json()["total_minutes"] == 30
    assert api.get(entries_url(merged)).json()["total_minutes"] == 15
