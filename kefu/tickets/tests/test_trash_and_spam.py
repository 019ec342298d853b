"""Spam / not spam, the trash with restore, and the purge after 30 days: services, API, console."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.models import AuditEntry
from kefu.org.tests.factories import AgentFactory
from kefu.tickets.models import Attachment, Ticket, TicketEvent
from kefu.tickets.selectors import contact_marked_spam, trashed_tickets, visible_tickets
from kefu.tickets.services import (
    TRASH_RETENTION,
    attachment_add,
    ticket_bulk_update,
    ticket_delete,
    ticket_mark_spam,
    ticket_purge,
    ticket_restore,
    ticket_update,
    tickets_purge_trash,
)
from kefu.tickets.tasks import purge_trash
from tests.helpers import error_of

URL = "/api/v1/tickets"


@pytest.fixture
def supervisor(department):
    return AgentFactory(user__email="li.na@kefu.test", role_key="supervisor", departments=[department])


@pytest.fixture
def ticket(create_ticket):
    return create_ticket()


def _rows(ticket, action):
    return list(
        TicketEvent.objects.filter(ticket_id=ticket.pk, action=action).values_list(
            "field", "old_value", "new_value"
        )
    )


# --- spam -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_marking_spam_records_one_event_and_a_second_time_nothing(ticket, agent, published):
    actor = Actor.agent(agent.user)
    ticket_mark_spam(actor=actor, source=Source.WEB, ticket=ticket)
    ticket_mark_spam(actor=actor, source=Source.WEB, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.is_spam is True
    assert _rows(ticket, "ticket.spam_marked") == [("is_spam", False, True)]
    assert [p["changes"] for p in published("ticket.spam_marked")] == [
        [{"field": "is_spam", "old": False, "new": True}]
    ]
    ticket_mark_spam(actor=actor, source=Source.WEB, ticket=ticket, spam=False)
    ticket.refresh_from_db()
    assert ticket.is_spam is False
    assert _rows(ticket, "ticket.spam_marked") == [("is_spam", False, True), ("is_spam", True, False)]


@pytest.mark.django_db
def test_light_agents_and_other_departments_cannot_mark_spam(ticket, light_agent, other_agent):
    with pytest.raises(PermissionDenied):
        ticket_mark_spam(actor=Actor.agent(light_agent.user), source=Source.WEB, ticket=ticket)
    with pytest.raises(NotFound):
        ticket_mark_spam(actor=Actor.agent(other_agent.user), source=Source.WEB, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.is_spam is False
    assert _rows(ticket, "ticket.spam_marked") == []


@pytest.mark.django_db
def test_a_contact_is_a_spammer_while_one_of_its_tickets_is_spam(ticket, agent):
    assert contact_marked_spam(ticket.contact_id) is False
    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket)
    assert contact_marked_spam(ticket.contact_id) is True
    ticket_mark_spam(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket, spam=False)
    assert contact_marked_spam(ticket.contact_id) is False


# --- trash and restore --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_trashed_ticket_comes_back_as_it_was(ticket, supervisor, published):
    actor = Actor.agent(supervisor.user)
    ticket_delete(actor=actor, source=Source.WEB, ticket=ticket)
    assert list(visible_tickets(supervisor.user)) == []
    trashed = trashed_tickets(supervisor.user).get()
    restored = ticket_restore(actor=actor, source=Source.WEB, ticket=trashed)
    assert restored.deleted_at is None
    assert list(visible_tickets(supervisor.user)) == [ticket]
    [(field, old, new)] = _rows(ticket, "ticket.restored")
    assert (field, new) == ("deleted_at", None)
    assert old == trashed.deleted_at.isoformat()
    assert [p["ticket_id"] for p in published("ticket.restored")] == [ticket.pk]
    # Restored, it is an ordinary ticket again.
    ticket_update(actor=actor, source=Source.WEB, ticket=restored, changes={"subject": "打印机已恢复"})
    # Not in the trash any more: a second restore finds nothing.
    with pytest.raises(NotFound):
        ticket_restore(actor=actor, source=Source.WEB, ticket=restored)


@pytest.mark.django_db
def test_restoring_needs_the_delete_right_and_the_department(ticket, supervisor, agent, other_agent):
    ticket_delete(actor=Actor.agent(supervisor.user), source=Source.WEB, ticket=ticket)
    ticket = Ticket.objects.get(pk=ticket.pk)
    with pytest.raises(PermissionDenied):
        ticket_restore(actor=Actor.agent(agent.user), source=Source.WEB, ticket=ticket)
    with pytest.raises(NotFound):
        ticket_restore(actor=Actor.agent(other_agent.user), source=Source.WEB, ticket=ticket)
    with pytest.raises(PermissionDenied):
        ticket_restore(actor=Actor.system(), source=Source.WEB, ticket=ticket)
    assert Ticket.objects.get(pk=ticket.pk).deleted_at is not None
    assert list(trashed_tickets(other_agent.user)) == []


# --- purge ---------------------------------------------------------------------------------------------


def _trash(ticket, supervisor, at):
    ticket_delete(actor=Actor.agent(supervisor.user), source=Source.WEB, ticket=ticket)
    Ticket.objects.filter(pk=ticket.pk).update(deleted_at=at)


@pytest.mark.django_db
def test_the_purge_deletes_tickets_after_30_days_in_the_trash_only(
    create_ticket, supervisor, django_capture_on_commit_callbacks
):
    now = timezone.now()
    old = create_ticket(subject="30 天前删除")
    attachment_add(
        actor=Actor.system(),
        source=Source.IMPORT,
        ticket=old,
        filename="发票.txt",
        content=io.BytesIO(b"invoice"),
    )
    stored = Attachment.objects.get(ticket=old).file.name
    assert default_storage.exists(stored)
    recent = create_ticket(subject="昨天删除")
    live = create_ticket(subject="还在处理")
    _trash(old, supervisor, now - TRASH_RETENTION - dt.timedelta(minutes=1))
    _trash(recent, supervisor, now - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tickets_purge_trash(now=now) == 1
    assert set(Ticket.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not TicketEvent.objects.filter(ticket_id=old.pk).exists()
    assert not default_storage.exists(stored)
    entry = AuditEntry.objects.get(action="ticket.purged")
    assert (entry.object_id, entry.actor_kind) == (old.pk, "system")
    # A second run, and a purge of a ticket not due, do nothing.
    assert tickets_purge_trash(now=now) == 0
    assert ticket_purge(ticket_id=recent.pk, now=now) is False


@pytest.mark.django_db
def test_the_beat_task_purges_and_a_child_of_a_purged_parent_keeps_its_data(create_ticket, supervisor):
    parent = create_ticket(subject="门店网络全部中断")
    child = create_ticket(subject="更换交换机", parent_id=parent.pk)
    _trash(parent, supervisor, timezone.now() - TRASH_RETENTION - dt.timedelta(hours=1))
    assert purge_trash() == 1
    child.refresh_from_db()
    assert (child.parent_id, child.subject) == (None, "更换交换机")


# --- bulk -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_spam_trash_and_restore(create_ticket, supervisor, agent):
    first, second = create_ticket(), create_ticket()
    actor = Actor.agent(supervisor.user)
    result = ticket_bulk_update(actor=actor, source=Source.WEB, ticket_ids=[first.pk], action="spam")
    assert result.changed == [first.pk]
    assert Ticket.objects.get(pk=first.pk).is_spam is True
    result = ticket_bulk_update(
        actor=actor, source=Source.WEB, ticket_ids=[first.pk, second.pk], action="trash"
    )
    assert result.changed == [first.pk, second.pk]
    # An agent without the delete right: refused per ticket, nothing restored.
    refused = ticket_bulk_update(
        actor=Actor.agent(agent.user), source=Source.WEB, ticket_ids=[first.pk], action="restore"
    )
    assert (refused.changed, [f.message for f in refused.failures]) == (
        [],
        ["You do not have permission to do this."],
    )
    result = ticket_bulk_update(
        actor=actor, source=Source.WEB, ticket_ids=[first.pk, second.pk], action="restore"
    )
    assert result.changed == [first.pk, second.pk]
    assert Ticket.objects.filter(deleted_at__isnull=True).count() == 2
    # Restore only knows trashed tickets; the other actions only live ones.
    again = ticket_bulk_update(actor=actor, source=Source.WEB, ticket_ids=[first.pk], action="restore")
    assert [f.message for f in again.failures] == ["No such ticket."]


# --- API --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_spam_not_spam_trash_list_and_restore(api_client_for, supervisor, light_agent, ticket):
    client = api_client_for(supervisor)
    response = client.post(f"{URL}/{ticket.pk}/spam")
    assert (response.status_code, response.json()["is_spam"]) == (200, True)
    response = client.post(f"{URL}/{ticket.pk}/not-spam")
    assert (response.status_code, response.json()["is_spam"]) == (200, False)
    light = api_client_for(light_agent)
    assert error_of(light.post(f"{URL}/{ticket.pk}/spam"), 403)["code"] == "permission_denied"
    assert client.get(f"{URL}/trash").json() == {"items": [], "next_cursor": None}
    assert client.delete(f"{URL}/{ticket.pk}").status_code == 204
    trash = client.get(f"{URL}/trash").json()
    assert [item["id"] for item in trash["items"]] == [ticket.pk]
    assert error_of(client.post(f"{URL}/{ticket.pk}/spam"), 404)["code"] == "not_found"
    # The light agent sees the ticket's department but has no delete right.
    assert error_of(light.post(f"{URL}/{ticket.pk}/restore"), 403)["code"] == "permission_denied"
    response = client.post(f"{URL}/{ticket.pk}/restore")
    assert (response.status_code, response.json()["id"]) == (200, ticket.pk)
    assert client.get(f"{URL}/{ticket.pk}").status_code == 200
    assert error_of(client.post(f"{URL}/{ticket.pk}/restore"), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_api_another_departments_trash_is_unknown(api_client_for, supervisor, other_agent, ticket):
    api_client_for(supervisor).delete(f"{URL}/{ticket.pk}")
    other = api_client_for(other_agent)
    assert other.get(f"{URL}/trash").json()["items"] == []
    assert error_of(other.post(f"{URL}/{ticket.pk}/restore"), 404)["code"] == "not_found"
    assert Ticket.objects.get(pk=ticket.pk).deleted_at is not None


# --- console ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_console_spam_button_trash_view_and_restore(client, supervisor, ticket):
    client.force_login(supervisor.user)
    detail = reverse("tickets:detail", args=[ticket.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="ticket-spam"' in page
    assert 'data-testid="ticket-trash"' in page
    assert client.post(reverse("tickets:spam", args=[ticket.pk]), {"spam": "1"}).url == detail
    assert 'data-testid="ticket-not-spam"' in client.get(detail).content.decode()
    spam_list = client.get(reverse("tickets:list"), {"view": "spam"}).content.decode()
    assert f'data-ticket-id="{ticket.pk}"' in spam_list
    assert 'data-testid="bulk-not-spam"' in spam_list
    response = client.post(reverse("tickets:trash", args=[ticket.pk]))
    assert response.url == f"{reverse('tickets:list')}?view=trash"
    assert client.get(detail).status_code == 404
    trash = client.get(response.url).content.decode()
    assert f'data-ticket-id="{ticket.pk}"' in trash
    assert 'data-testid="trash-note"' in trash
    assert 'data-testid="bulk-restore"' in trash
    assert detail not in trash  # a trashed ticket has no page to link to
    restored = client.post(reverse("tickets:bulk"), {"action": "restore", "ticket_ids": [ticket.pk]})
    assert restored.status_code == 302
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_console_agent_without_rights_sees_no_trash_button(client, light_agent, ticket):
    client.force_login(light_agent.user)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-testid="ticket-trash"' not in page
    assert 'data-testid="ticket-spam"' not in page
    assert client.post(reverse("tickets:trash", args=[ticket.pk])).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).deleted_at is None


@pytest.mark.django_db
def test_console_history_says_spam_and_restore(client, supervisor, ticket):
    actor = Actor.agent(supervisor.user)
    ticket_mark_spam(actor=actor, source=Source.WEB, ticket=ticket)
    ticket_delete(actor=actor, source=Source.WEB, ticket=ticket)
    ticket_restore(actor=actor, source=Source.WEB, ticket=Ticket.objects.get(pk=ticket.pk))
    client.force_login(supervisor.user)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    name = supervisor.user.name
    assert f"{name} marked the ticket as spam" in page
    assert f"{name} moved the ticket to the trash" in page
    assert f"{name} restored the ticket from the trash" in page
