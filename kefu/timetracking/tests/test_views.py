"""Time tracking in the console: the ticket panel (timer, manual entries, errors per field in the
agent's language), the contact and account totals, and another department's ticket as a 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kefu.contacts.tests.factories import AccountFactory
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.timetracking.models import RunningTimer, TimeEntry
from kefu.timetracking.tests.factories import time_entry

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def test_the_ticket_page_loads_the_panels(signed_in, create_ticket):
    ticket = create_ticket()
    page = signed_in.get(reverse("tickets:detail", args=[ticket.pk]))
    assert reverse("timetracking:ticket-panel", args=[ticket.pk]).encode() in page.content
    assert reverse("tasks:ticket-card", args=[ticket.pk]).encode() in page.content


def test_the_timer_logs_the_time_between_start_and_stop(signed_in, agent, create_ticket):
    ticket = create_ticket()
    other = create_ticket(subject="发票抬头开错了")
    with time_machine.travel(NOW, tick=False) as clock:
        response = signed_in.post(reverse("timetracking:timer-start", args=[ticket.pk]))
        assert response.status_code == 200
        assert b'data-testid="timer-running"' in response.content
        clock.shift(dt.timedelta(minutes=24, seconds=10))
        # Starting on another ticket stops this one (one running timer per agent) and logs its time.
        signed_in.post(reverse("timetracking:timer-start", args=[other.pk]))
        first = TimeEntry.objects.get(ticket=ticket)
        assert (first.minutes, first.date, first.from_timer) == (25, dt.date(2026, 12, 7), True)
        assert RunningTimer.objects.get(agent=agent.user).ticket_id == other.pk
        clock.shift(dt.timedelta(minutes=10))
        panel = signed_in.post(reverse("timetracking:timer-stop", args=[other.pk]))
    assert not RunningTimer.objects.exists()
    assert TimeEntry.objects.get(ticket=other).minutes == 10
    assert b'data-testid="time-total">10 min<' in panel.content
    assert AuditEntry.objects.filter(action="timer.started").count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_manual_entry_and_its_errors(signed_in, agent, create_ticket):
    ticket = create_ticket()
    url = reverse("timetracking:entry-create", args=[ticket.pk])
    response = signed_in.post(url, {"minutes": "90", "date": "2026-12-06", "note": "上门", "billable": "on"})
    assert response.status_code == 200
    assert b'data-testid="time-total">1 h 30 min<' in response.content
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.date, entry.note, entry.billable) == (90, dt.date(2026, 12, 6), "上门", True)

    bad = signed_in.post(url, {"minutes": "一小时", "date": "2026-13-01", "note": "x" * 1001})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Enter a whole number of minutes from 1 to 1440." in text
    assert "Enter a date." in text
    assert "Enter at most 1000 characters." in text
    assert TimeEntry.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_errors_in_chinese(client, department, create_ticket):
    chinese = AgentFactory(departments=[department], language="zh-hans")
    client.force_login(chinese.user)
    client.cookies["django_language"] = "zh-hans"
    ticket = create_ticket()
    bad = client.post(
        reverse("timetracking:entry-create", args=[ticket.pk]),
        {"minutes": "0", "date": "2027-01-01"},
        headers={"Accept-Language": "zh-hans"},
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "请输入 1 到 1440 之间的整数分钟数。" in text
    assert "日期不能晚于今天。" in text


def test_another_departments_ticket_is_a_404(client, other_agent, agent, create_ticket):
    ticket = create_ticket()
    entry = time_entry(ticket, agent)
    client.force_login(other_agent.user)
    assert client.get(reverse("timetracking:ticket-panel", args=[ticket.pk])).status_code == 404
    assert client.post(reverse("timetracking:timer-start", args=[ticket.pk])).status_code == 404
    assert (
        client.post(reverse("timetracking:entry-create", args=[ticket.pk]), {"minutes": "5"}).status_code
        == 404
    )
    assert client.post(reverse("timetracking:entry-delete", args=[entry.pk])).status_code == 404
    assert not RunningTimer.objects.exists()
    assert TimeEntry.objects.count() == 1


def test_contact_and_account_totals(signed_in, agent, department, create_ticket, other_department):
    colleague = AgentFactory(departments=[department])
    ticket = create_ticket()
    time_entry(ticket, agent, minutes=30)
    time_entry(ticket, colleague, minutes=45, billable=False)
    hidden = create_ticket(department_id=other_department.pk)
    time_entry(hidden, AgentFactory(departments=[other_department]), minutes=600)
    contact_page = signed_in.get(reverse("contacts:detail", args=[ticket.contact_id]))
    assert reverse("timetracking:contact-panel", args=[ticket.contact_id]).encode() in contact_page.content
    panel = signed_in.get(reverse("timetracking:contact-panel", args=[ticket.contact_id])).content.decode()
    assert 'data-testid="contact-time-total">1 h 15 min<' in panel  # the other department's 10 h unseen
    assert "30 min" in panel
    assert "45 min" in panel

    account = AccountFactory(name="明远科技")
    ticket.contact.account = account
    ticket.contact.save()
    type(ticket).objects.filter(pk=ticket.pk).update(account=account)
    assert (
        reverse("timetracking:account-panel", args=[account.pk]).encode()
        in signed_in.get(reverse("contacts:account-detail", args=[account.pk])).content
    )
    panel = signed_in.get(reverse("timetracking:account-panel", args=[account.pk])).content.decode()
    assert 'data-testid="account-time-total">1 h 15 min<' in panel


def test_panel_query_count_is_fixed(signed_in, agent, create_ticket):
    ticket = create_ticket()
    url = reverse("timetracking:ticket-panel", args=[ticket.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url).status_code == 200
        return len(queries)

    time_entry(ticket, agent, minutes=5)
    signed_in.get(url)  # warm the session and the catalogue cache
    one = count()
    for minutes in range(1, 8):
        time_entry(ticket, AgentFactory(departments=[ticket.department]), minutes=minutes)
    assert count() == one


@time_machine.travel(NOW, tick=False)
def test_edit_an_entry_own_or_as_administrator(client, agent, admin_agent, department, create_ticket):
    ticket = create_ticket()
    colleague = AgentFactory(departments=[department])
    mine = time_entry(ticket, agent, minutes=30)
    theirs = time_entry(ticket, colleague, minutes=20)
    client.force_login(agent.user)
    panel = client.get(reverse("timetracking:ticket-panel", args=[ticket.pk])).content.decode()
    assert reverse("timetracking:entry-edit", args=[mine.pk]) in panel
    assert reverse("timetracking:entry-edit", args=[theirs.pk]) not in panel

    changed = client.post(
        reverse("timetracking:entry-edit", args=[mine.pk]),
        {"minutes": "45", "date": "2026-12-05", "note": "复核"},
    )
    assert changed.status_code == 200
    mine.refresh_from_db()
    assert (mine.minutes, mine.date, mine.billable, mine.note) == (45, dt.date(2026, 12, 5), False, "复核")

    bad = client.post(reverse("timetracking:entry-edit", args=[mine.pk]), {"minutes": "0", "date": ""})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Enter a whole number of minutes from 1 to 1440." in text
    assert "Enter a date." in text
    refused = client.post(
        reverse("timetracking:entry-edit", args=[theirs.pk]), {"minutes": "5", "date": "2026-12-01"}
    )
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.minutes == 20

    client.force_login(admin_agent.user)
    edited = client.post(
        reverse("timetracking:entry-edit", args=[theirs.pk]),
        {"minutes": "25", "date": "2026-12-01", "billable": "on"},
    )
    assert edited.status_code == 200
    theirs.refresh_from_db()
    assert theirs.minutes == 25
