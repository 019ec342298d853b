"""The demo help desk: loaded through the services, idempotent, and showing what Kefu does out of the box."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.automation.models import AssignmentRule, CannedReply, Macro, WorkflowRule
from kefu.core.actors import Actor, Source
from kefu.demo.loader import load_demo
from kefu.kb.models import Article
from kefu.org.models import Department
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Ticket, Article, WorkflowRule, AssignmentRule, Macro, CannedReply)
    )


def test_the_demo_loads_once_and_routes_new_tickets():
    summary = load_demo(tickets=12)
    assert "/hc/acme/" in summary
    first = _counts()
    load_demo(tickets=12)
    assert _counts() == first
    assert first[0] == 12

    article = Article.objects.get(title="手机发热严重怎么办？")
    assert list(article.translations.values_list("title", flat=True)) == ["My phone gets very hot"]
    found = Client().get("/hc/acme/search/", {"q": "发热"})
    assert found.status_code == 200
    assert f"/hc/acme/articles/{article.pk}-" in found.content.decode()

    after_sales = Department.objects.get(code="after-sales")
    ticket = ticket_create(
        actor=Actor.system(),
        source=Source.API,
        data=TicketCreateInput(
            subject="新买的手机发热",
            description="充电时很烫。",
            department_id=after_sales.pk,
            contact=ContactRef(email="demo.customer@example.cn", name="顾客"),
        ),
    )
    ticket.refresh_from_db()
    assert ticket.priority.name == "高"
    assert list(ticket.tags.values_list("name", flat=True)) == ["发热"]
    assert ticket.assignee.email in ("wang.fang@kefu.local", "li.na@kefu.local")
