"""The live-updates stream (Server-Sent Events)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kefu.org.tests.factories import UserFactory
from kefu.tickets.tests.factories import TicketFactory
from kefu.tickets.views import stream

STREAM = reverse("tickets:stream")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_poll(monkeypatch):
    """Each stream polls once and ends, so that a test reads the whole response at once."""
    monkeypatch.setattr(stream, "DURATION_SECONDS", 0)
    monkeypatch.setattr(stream, "POLL_SECONDS", 0)


def _read(response) -> list[dict]:
    """The ``ticket`` events of a finished stream, each with its id line."""
    text = b"".join(response.streaming_content).decode()
    events = []
    for block in text.split("\n\n"):
        lines = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":")
        )
        if lines.get("event") == "ticket":
            events.append({"id": lines["id"], **json.loads(lines["data"])})
    return events


def test_anonymous_and_non_agents_get_no_stream(client):
    assert client.get(STREAM).status_code == 302
    client.force_login(UserFactory())
    assert client.get(STREAM).status_code == 403


def test_changes_after_the_last_event_id_of_visible_tickets_only(client, agent, department, other_department):
    start = timezone.now() - dt.timedelta(minutes=10)
    before = TicketFactory(department=department, created_at=start - dt.timedelta(minutes=1))
    created = TicketFactory(department=department, created_at=start + dt.timedelta(minutes=1))
    updated = TicketFactory(
        department=department,
        created_at=start - dt.timedelta(days=1),
        updated_at=start + dt.timedelta(minutes=2),
    )
    TicketFactory(department=other_department, created_at=start + dt.timedelta(minutes=3))
    client.force_login(agent.user)
    response = client.get(STREAM, headers={"Last-Event-ID": f"{start.isoformat()}~0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    events = _read(response)
    assert [(e["id"], e["number"], e["kind"]) for e in events] == [
        (created.pk, created.number, "created"),
        (updated.pk, updated.number, "updated"),
    ]
    assert before.pk not in [e["id"] for e in events]


def test_resuming_from_an_event_repeats_nothing(client, agent, department):
    moment = timezone.now() - dt.timedelta(minutes=5)
    first = TicketFactory(department=department, created_at=moment)
    second = TicketFactory(department=department, created_at=moment)  # same instant: the id breaks the tie
    client.force_login(agent.user)
    events = _read(client.get(STREAM, headers={"Last-Event-ID": f"{moment.isoformat()}~{first.pk}"}))
    assert [(e["id"], e["updated_at"]) for e in events] == [(second.pk, moment.isoformat())]


@pytest.mark.parametrize(
    "last_event_id", ["", "garbage", "2026-13-45T00:00:00+00:00~1", "2026-01-01T00:00:00~1"]
)
def test_without_a_usable_last_event_id_the_stream_starts_now(client, agent, department, last_event_id):
    TicketFactory(department=department, created_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(agent.user)
    response = client.get(STREAM, headers={"Last-Event-ID": last_event_id})
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert body == "retry: 2000\n\n"
