"""contact_merge: everything of the duplicate moves to the survivor, with events, audit and refusals."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kefu.contacts import hooks
from kefu.contacts.models import Contact
from kefu.contacts.selectors import contact_get, contact_list, contact_survivor_id
from kefu.contacts.services import contact_get_or_create_by_email, contact_update
from kefu.contacts.services.merge import contact_merge
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.models import AuditEntry
from kefu.tickets.inputs import ContactRef
from kefu.tickets.models import TicketEvent
from kefu.tickets.services import ticket_cc_add


@pytest.fixture
def keep(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn", phone="")


@pytest.fixture
def duplicate(db):
    contact = ContactFactory(
        name="Fang Wang",
        email="fang@corp.cn",
        phone="+86 21 5555 0101",
        language="en",
        custom_fields={"vip_level": "gold"},
    )
    return contact_update(
        actor=Actor.system(),
        source=Source.IMPORT,
        contact=contact,
        changes={"other_emails": ["fang.home@example.cn"], "tags": ["VIP"]},
    )


def merge(agent, keep, duplicate):
    return contact_merge(actor=Actor.agent(agent.user), source=Source.WEB, keep=keep, merge=duplicate)


@pytest.mark.django_db
def test_merge_moves_addresses_tags_and_fills_empty_fields(agent, keep, duplicate):
    survivor = merge(agent, keep, duplicate)
    survivor.refresh_from_db()
    assert sorted(survivor.addresses.values_list("address", "is_primary")) == [
        ("fang.home@example.cn", False),
        ("fang@corp.cn", False),
        ("wang.fang@example.cn", True),
    ]
    assert (survivor.name, survivor.email, survivor.phone, survivor.language) == (
        "王芳",
        "wang.fang@example.cn",
        "+86 21 5555 0101",
        "en",
    )
    assert survivor.custom_fields == {"vip_level": "gold"}
    assert list(survivor.tags.values_list("name", flat=True)) == ["VIP"]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert duplicate.addresses.count() == 0


@pytest.mark.django_db
def test_survivor_without_email_takes_the_merged_primary_address(agent, duplicate):
    survivor = ContactFactory(name="王芳", email="")
    merge(agent, survivor, duplicate)
    survivor.refresh_from_db()
    assert survivor.email == "fang@corp.cn"
    assert list(survivor.addresses.filter(is_primary=True).values_list("address", flat=True)) == [
        "fang@corp.cn"
    ]


@pytest.mark.django_db
def test_merged_contact_disappears_from_lists_and_lookups_and_points_at_the_survivor(agent, keep, duplicate):
    merge(agent, keep, duplicate)
    assert list(contact_list().values_list("pk", flat=True)) == [keep.pk]
    assert contact_get(duplicate.pk) is None
    assert contact_survivor_id(duplicate.pk) == keep.pk
    found = contact_get_or_create_by_email(actor=Actor.system(), source=Source.EMAIL, email="FANG@corp.cn")
    assert found.pk == keep.pk
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_tickets_move_to_the_survivor_with_an_event_each(
    agent, other_department, keep, duplicate, create_ticket, published, django_capture_on_commit_callbacks
):
    own = create_ticket(subject="打印机坏了", contact=ContactRef(contact_id=duplicate.pk))
    # A ticket of a department the merging agent cannot see moves too: the contact must own nothing.
    foreign = create_ticket(
        subject="发票", contact=ContactRef(contact_id=duplicate.pk), department_id=other_department.pk
    )
    untouched = create_ticket(subject="别人的", contact=ContactRef(email="other@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        merge(agent, keep, duplicate)
    for ticket in (own, foreign):
        ticket.refresh_from_db()
        assert ticket.contact_id == keep.pk
        event = TicketEvent.objects.get(ticket=ticket, field="contact")
        assert (event.action, event.actor_id, event.source) == ("ticket.updated", agent.user.pk, "web")
        assert event.old_value == {"id": duplicate.pk, "name": "Fang Wang"}
        assert event.new_value == {"id": keep.pk, "name": "王芳"}
    untouched.refresh_from_db()
    assert not TicketEvent.objects.filter(ticket=untouched, field="contact").exists()
    moved = published(EventType.TICKET_UPDATED)
    assert sorted(payload["ticket_id"] for payload in moved) == sorted([own.pk, foreign.pk])
    assert {change["field"] for payload in moved for change in payload["changes"]} == {"contact"}
    assert len(published(EventType.CONTACT_MERGED)) == 1


@pytest.mark.django_db
def test_cc_memberships_move_without_doubling_the_survivor(
    agent, admin_agent, keep, duplicate, create_ticket
):
    system = Actor.system()
    plain = create_ticket(subject="抄送", contact=ContactRef(email="boss@example.cn"))
    both = create_ticket(subject="两人都抄送", contact=ContactRef(email="boss@example.cn"))
    requested_by_keep = create_ticket(subject="王芳的", contact=ContactRef(contact_id=keep.pk))
    ticket_cc_add(actor=system, source=Source.IMPORT, ticket=plain, contacts=[duplicate])
    ticket_cc_add(actor=system, source=Source.IMPORT, ticket=both, contacts=[duplicate, keep])
    ticket_cc_add(actor=system, source=Source.IMPORT, ticket=requested_by_keep, contacts=[duplicate])
    merge(agent, keep, duplicate)
    assert list(plain.cc_contacts.values_list("pk", flat=True)) == [keep.pk]
    assert list(both.cc_contacts.values_list("pk", flat=True)) == [keep.pk]
    assert list(requested_by_keep.cc_contacts.values_list("pk", flat=True)) == []
    assert list(
        TicketEvent.objects.filter(ticket=plain, field="cc_contacts", actor_id=agent.user.pk)
        .order_by("action")
        .values_list("action", "old_value", "new_value")
    ) == [
        (
            "ticket.updated",
            [{"id": duplicate.pk, "email": "fang@corp.cn"}],
            [{"id": keep.pk, "email": "wang.fang@example.cn"}],
        ),
    ]
    keep_cc, duplicate_cc = (
        {"id": keep.pk, "email": "wang.fang@example.cn"},
        {"id": duplicate.pk, "email": "fang@corp.cn"},
    )
    assert list(
        TicketEvent.objects.filter(ticket=both, field="cc_contacts", actor_id=agent.user.pk).values_list(
            "action", "old_value", "new_value"
        )
    ) == [("ticket.updated", sorted([keep_cc, duplicate_cc], key=lambda c: c["id"]), [keep_cc])]


@pytest.mark.django_db
def test_merge_leaves_an_audit_entry(agent, keep, duplicate, create_ticket):
    ticket = create_ticket(contact=ContactRef(contact_id=duplicate.pk))
    merge(agent, keep, duplicate)
    entry = AuditEntry.objects.get(action="contact.merged")
    assert (entry.object_type, entry.object_id) == ("contacts.contact", keep.pk)
    assert entry.actor_id == agent.user.pk
    assert entry.changes == {
        "merged": {"id": duplicate.pk, "name": "Fang Wang", "email": "fang@corp.cn"},
        "addresses": ["fang.home@example.cn", "fang@corp.cn"],
        "tickets": [ticket.pk],
        "filled": ["custom_fields", "language", "phone"],
    }
    assert AuditEntry.objects.get(action="contact.merged_into").object_id == duplicate.pk


@pytest.mark.django_db
def test_earlier_merges_are_repointed_at_the_new_survivor(agent, keep, duplicate):
    older = ContactFactory(name="旧的重复")
    merge(agent, duplicate, older)
    merge(agent, keep, duplicate)
    older.refresh_from_db()
    assert older.merged_into_id == keep.pk
    assert contact_survivor_id(older.pk) == keep.pk


@pytest.mark.django_db
def test_a_contact_cannot_be_merged_into_itself(agent, keep):
    with pytest.raises(ValidationFailed) as excinfo:
        merge(agent, keep, keep)
    assert excinfo.value.fields == {"merge": "Choose a different contact."}
    keep.refresh_from_db()
    assert keep.merged_into_id is None


@pytest.mark.django_db
def test_merging_twice_or_into_a_merged_contact_is_a_conflict(agent, keep, duplicate, create_ticket):
    third = ContactFactory(name="第三人")
    ticket = create_ticket(contact=ContactRef(contact_id=third.pk))
    merge(agent, keep, duplicate)
    # ``duplicate`` is a stale object here, as in a second browser tab that had the old page open.
    with pytest.raises(Conflict) as excinfo:
        merge(agent, third, duplicate)
    assert excinfo.value.fields == {"merge": "Already merged."}
    with pytest.raises(Conflict) as excinfo:
        merge(agent, duplicate, third)
    assert excinfo.value.fields == {"keep": "Already merged."}
    ticket.refresh_from_db()
    third.refresh_from_db()
    assert (ticket.contact_id, third.merged_into_id) == (third.pk, None)


@pytest.mark.django_db
def test_light_agents_cannot_merge(light_agent, keep, duplicate, create_ticket):
    ticket = create_ticket(contact=ContactRef(contact_id=duplicate.pk))
    with pytest.raises(PermissionDenied):
        merge(light_agent, keep, duplicate)
    duplicate.refresh_from_db()
    ticket.refresh_from_db()
    assert (duplicate.merged_into_id, ticket.contact_id) == (None, duplicate.pk)
    assert duplicate.addresses.count() == 2
    assert not AuditEntry.objects.filter(action="contact.merged").exists()


@pytest.mark.django_db
def test_a_failure_while_moving_tickets_rolls_everything_back(agent, keep, duplicate, monkeypatch):
    def broken(**kwargs):
        raise Conflict("boom")

    monkeypatch.setitem(hooks._merge_hooks, "tickets", broken)
    with pytest.raises(Conflict):
        merge(agent, keep, duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert sorted(duplicate.addresses.values_list("address", flat=True)) == [
        "fang.home@example.cn",
        "fang@corp.cn",
    ]
    assert keep.tags.count() == 0


@pytest.mark.django_db
def test_the_account_is_taken_over_only_when_the_survivor_has_none(agent, keep, duplicate):
    ours, theirs = AccountFactory(name="明远"), AccountFactory(name="华东")
    duplicate.account = theirs
    duplicate.save()
    keep.account = ours
    keep.save()
    merge(agent, keep, duplicate)
    keep.refresh_from_db()
    assert keep.account_id == ours.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_agents_merging_a_pair_in_opposite_directions_leave_one_survivor(agent, keep, duplicate):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(survivor: Contact, loser: Contact) -> None:
        try:
            barrier.wait()
            merge(agent, survivor, loser)
            outcomes.append("merged")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(keep, duplicate)),
        threading.Thread(target=run, args=(duplicate, keep)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "merged"]
    merged = list(Contact.objects.filter(merged_into__isnull=False).values_list("merged_into_id", flat=True))
    assert len(merged) == 1
    survivor = Contact.objects.get(pk=merged[0])
    assert survivor.merged_into_id is None
    assert sorted(survivor.addresses.values_list("address", flat=True)) == [
        "fang.home@example.cn",
        "fang@corp.cn",
        "wang.fang@example.cn",
    ]
