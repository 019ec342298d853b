"""Ticket factories. ``TicketFactory`` writes rows directly for setting up reads; tests of behaviour
create tickets through ``ticket_create`` (see ``create_ticket`` in conftest)."""

from __future__ import annotations

import factory
from django.utils import timezone

from kefu.contacts.tests.factories import ContactFactory
from kefu.org.tests.factories import DepartmentFactory
from kefu.tickets.models import Priority, SavedView, Status, Ticket, TicketEvent, TicketType
from kefu.tickets.services.numbering import next_ticket_number


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    number = factory.LazyFunction(next_ticket_number)
    subject = factory.Sequence(lambda n: f"打印机无法连接 {n}")
    department = factory.SubFactory(DepartmentFactory)
    contact = factory.SubFactory(ContactFactory)
    status = factory.LazyFunction(lambda: Status.objects.get(name="新建"))
    priority = factory.LazyFunction(lambda: Priority.objects.get(name="中"))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda ticket: ticket.created_at)


class TicketEventFactory(factory.django.DjangoModelFactory):
    """An event row as the history stores it, for reads of the history in shapes no service writes yet."""

    class Meta:
        model = TicketEvent

    ticket = factory.SubFactory(TicketFactory)
    created_at = factory.LazyFunction(timezone.now)
    actor_kind = "system"
    source = "api"
    action = "updated"


class SavedViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedView

    name = factory.Sequence(lambda n: f"视图{n}")
    criteria = factory.LazyFunction(lambda: {"all": []})
    columns = factory.LazyFunction(list)


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    name = factory.Sequence(lambda n: f"类型{n}")
    name_en = factory.Sequence(lambda n: f"Type {n}")
    order = factory.Sequence(lambda n: 100 + n)
