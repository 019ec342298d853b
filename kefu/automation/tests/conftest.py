"""A small world of tickets every criteria test reads: different fields, times, tags and custom fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kefu.contacts.tests.factories import AccountFactory
from kefu.core.actors import Actor, Source
from kefu.customfields.models import CustomField
from kefu.customfields.tests.factories import CustomFieldFactory, PicklistOptionFactory
from kefu.org.tests.factories import TeamFactory
from kefu.tickets.inputs import ContactRef, ReplyInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_reply, ticket_set_status

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@dataclass
class World:
    tickets: dict[str, Ticket]

    @property
    def ids(self) -> list[int]:
        return [ticket.pk for ticket in self.tickets.values()]

    def name_of(self, pk: int) -> str:
        return next(name for name, ticket in self.tickets.items() if ticket.pk == pk)


@pytest.fixture
def exchange_team(department):
    return TeamFactory(department=department, name="换货组")


@pytest.fixture
def custom_fields(db):
    CustomFieldFactory(key="model", field_type=CustomField.FieldType.TEXT, name="型号", name_en="Model")
    CustomFieldFactory(key="count", field_type=CustomField.FieldType.NUMBER, name="数量", name_en="Count")
    CustomFieldFactory(key="urgent", field_type=CustomField.FieldType.CHECKBOX, name="加急", name_en="Urgent")
    CustomFieldFactory(key="bought", field_type=CustomField.FieldType.DATE, name="购买日期", name_en="Bought")
    parts = CustomFieldFactory(
        key="parts", field_type=CustomField.FieldType.MULTI_SELECT, name="部件", name_en="Parts"
    )
    PicklistOptionFactory(field=parts, value="屏幕")
    PicklistOptionFactory(field=parts, value="电池")


@pytest.fixture
def world(create_ticket, agent, exchange_team, custom_fields) -> World:
    """T1–T4, created 48, 10, 5 and 1 hours before ``NOW``; T3 has a reply 2 hours before ``NOW``."""
    account = AccountFactory(name="上海华为", industry="电子")
    t1 = create_ticket(
        subject="手机发热严重",
        description="手机充电时发热，很烫。",
        priority="高",
        channel="email",
        category="手机",
        tags=["发热", "VIP"],
        account_id=account.pk,
        custom_fields={
            "model": "X1",
            "count": 3,
            "urgent": True,
            "parts": ["屏幕", "电池"],
            "bought": "2026-03-01",
        },
        created_at=NOW - dt.timedelta(hours=48),
    )
    t2 = create_ticket(
        subject="Printer offline",
        description="The printer is offline again.",
        priority="低",
        channel="web",
        team_id=exchange_team.pk,
        assignee_id=agent.user.pk,
        contact=ContactRef(email="li.lei@example.cn", name="李雷"),
        custom_fields={"count": 10, "bought": "2025-12-01"},
        created_at=NOW - dt.timedelta(hours=10),
    )
    t3 = create_ticket(
        subject="手机 屏幕 破裂",
        description="屏幕摔坏了。",
        channel="api",
        tags=["屏幕"],
        created_at=NOW - dt.timedelta(hours=5),
    )
    ticket_reply(
        actor=Actor.agent(agent.user),
        source=Source.IMPORT,
        ticket=t3,
        data=ReplyInput(body="您好，已经处理。", created_at=NOW - dt.timedelta(hours=2)),
    )
    t4 = create_ticket(
        subject="我的手机一用就发热",
        description="用一会儿就很热。",
        channel="portal",
        tags=["vip"],
        custom_fields={"parts": ["电池"]},
        created_at=NOW - dt.timedelta(hours=1),
    )
    ticket_set_status(actor=Actor.system(), source=Source.IMPORT, ticket=t4, status="已关闭")
    Ticket.objects.filter(pk=t4.pk).update(updated_at=NOW - dt.timedelta(hours=1))
    return World(tickets={"T1": t1, "T2": t2, "T3": t3, "T4": t4})
