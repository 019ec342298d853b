import pytest

from kefu.search import tasks
from kefu.search.backends import backend
from kefu.search.selectors import filter_tickets_by_text
from kefu.tickets.models import Ticket


def _found(query):
    return sorted(filter_tickets_by_text(Ticket.objects.all(), query).values_list("subject", flat=True))


@pytest.fixture
def unindexed(create_ticket):
    """Three tickets that the index does not know, whatever indexing their creation queued."""
    tickets = [create_ticket(subject=f"batchword ticket{n}") for n in range(3)]
    backend().remove("ticket", [ticket.pk for ticket in tickets])
    assert _found("batchword") == []
    return tickets


@pytest.mark.django_db
def test_one_job_indexes_many_tickets_once_each(unindexed, monkeypatch):
    passes = []
    original = tasks.tickets_index
    monkeypatch.setattr(tasks, "tickets_index", lambda ids: passes.append(list(ids)) or original(ids))
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    ids = [ticket.pk for ticket in unindexed]

    assert tasks.index_tickets.apply(args=[[ids[2], *ids, ids[0]]]).get() == 3

    assert passes == [sorted(ids)[:2], sorted(ids)[2:]]
    assert _found("batchword") == ["batchword ticket0", "batchword ticket1", "batchword ticket2"]
    assert _found("ticket1") == ["batchword ticket1"]


@pytest.mark.django_db
def test_a_deleted_ticket_in_the_batch_leaves_the_index(unindexed):
    tasks.index_tickets.apply(args=[[ticket.pk for ticket in unindexed]]).get()
    Ticket.objects.filter(pk=unindexed[1].pk).update(deleted_at="2026-01-01T00:00:00Z")

    assert tasks.index_tickets.apply(args=[[ticket.pk for ticket in unindexed]]).get() == 2

    assert _found("batchword") == ["batchword ticket0", "batchword ticket2"]
