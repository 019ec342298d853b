"""Fixtures for the apps' tests: departments, agents of every role, API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.core.models import OutboxEvent
from kefu.org.models import Agent
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, DepartmentFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_create


@pytest.fixture
def department(db):
    return DepartmentFactory(code="after-sales", name="售后服务", name_en="After-sales")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="billing", name="财务", name_en="Billing")


@pytest.fixture
def agent(department) -> Agent:
    return AgentFactory(user__email="zhang.wei@kefu.test", user__name="张伟", departments=[department])


@pytest.fixture
def other_agent(other_department) -> Agent:
    return AgentFactory(user__email="yang.lei@kefu.test", user__name="杨磊", departments=[other_department])


@pytest.fixture
def light_agent(department) -> Agent:
    return AgentFactory(user__email="zhao.min@kefu.test", role_key="light_agent", departments=[department])


@pytest.fixture
def admin_agent(db) -> Agent:
    return AgentFactory(user__email="admin@kefu.test", role_key="administrator")


class ApiClient(Client):
    """A test client that sends JSON and an API key, and asks for English unless a test says otherwise
    (without ``Accept-Language`` the API answers in the key owner's language, Chinese by default)."""

    def __init__(self, secret: str | None = None, **kwargs: Any):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        super().__init__(headers={"Accept-Language": "en", **headers}, **kwargs)

    def post_json(self, path: str, data: Any = None, **kwargs: Any):
        return self.post(path, data=data, content_type="application/json", **kwargs)

    def patch_json(self, path: str, data: Any = None, **kwargs: Any):
        return self.patch(path, data=data, content_type="application/json", **kwargs)


@pytest.fixture
def api_client_for() -> Callable[[Agent | None], ApiClient]:
    def make(agent: Agent | None) -> ApiClient:
        if agent is None:
            return ApiClient()
        _key, secret = ApiKeyFactory.create(agent.user)
        return ApiClient(secret)

    return make


@pytest.fixture
def api(api_client_for, agent) -> ApiClient:
    return api_client_for(agent)


@pytest.fixture
def create_ticket(department) -> Callable[..., Ticket]:
    """Create a ticket through the service, as the system, with sensible defaults."""

    def make(**overrides: Any) -> Ticket:
        values: dict[str, Any] = {
            "subject": "打印机无法连接网络",
            "description": "按照说明书操作后仍然连不上。",
            "department_id": department.pk,
            "contact": ContactRef(email="wang.fang@example.cn", name="王芳"),
        }
        values.update(overrides)
        return ticket_create(actor=Actor.system(), source=Source.IMPORT, data=TicketCreateInput(**values))

    return make


@pytest.fixture
def published(db) -> Callable[[str], list[dict[str, Any]]]:
    """``published(EventType.TICKET_CREATED)`` → the payloads published with that type, oldest first.

    Published events are outbox rows written in the publishing transaction, so this reads what a
    service really committed to announce (nothing for a rolled-back change), delivered or not.
    """

    def read(event_type: str) -> list[dict[str, Any]]:
        rows = OutboxEvent.objects.filter(event_type=str(event_type)).order_by("id")
        return [row.payload for row in rows]

    return read
