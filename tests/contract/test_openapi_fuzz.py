"""Property-based fuzzing of the REST API against its own OpenAPI document (schemathesis).

Every operation in ``/api/v1/openapi.json`` is called in-process, through Django's WSGI handler, with
requests schemathesis derives from the schema (valid ones and deliberately invalid ones), as an
administrator holding a real API key, against a small set of real rows. A response fails the test when
it is a 5xx, has a status code the operation does not declare, or a body its schema does not allow.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import factory
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.core.actors import Actor, Source
from kefu.org.models import Brand
from kefu.org.tests.factories import AgentFactory, ApiKeyFactory, DepartmentFactory, TeamFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Priority, Status
from kefu.tickets.services import attachment_add, ticket_create

APP = WSGIHandler()


@schemathesis.serializer("message/rfc822")
def raw_message(_context, value) -> bytes:
    """The mail intake endpoint takes a raw message: send whatever was generated as bytes."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)

ALIASES = {"assignee_id": "user_id", "owner_id": "user_id", "parent_id": "ticket_id"}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = "Kefu"
    slug = "kefu"


@dataclass
class World:
    secret: str
    ids: dict[str, int]


@pytest.fixture
def _in_process_transactions() -> Iterator[None]:
    """Keep the test's transaction open across requests, as Django's own test client does.

    A real WSGI handler closes "old" connections at the start and end of every request; inside a test
    that would close the connection holding the test's uncommitted rows.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, _in_process_transactions) -> World:
    """An administrator's key and demo-ish rows the generated requests can hit."""
    department = DepartmentFactory(code="support", name="技术支持", name_en="Support")
    team = TeamFactory(department=department, name="一线")
    brand = BrandFactory()
    admin = AgentFactory(user__email="admin@kefu.test", role_key="administrator", departments=[department])
    colleague = AgentFactory(user__email="li.na@kefu.test", departments=[department])
    account = AccountFactory(name="上海明远科技有限公司")
    contact = ContactFactory(name="王芳", email="wang.fang@example.cn", account=account)
    ticket = ticket_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=TicketCreateInput(
            subject="打印机无法连接网络",
            description="重启后仍然不行。",
            department_id=department.pk,
            contact=ContactRef(contact_id=contact.pk),
            tags=["打印机"],
        ),
    )
    log = io.BytesIO(b"log")
    attachment = attachment_add(
        actor=Actor.system(), source=Source.IMPORT, ticket=ticket, filename="log.txt", content=log
    )
    _key, secret = ApiKeyFactory.create(admin.user)
    return World(
        secret=secret,
        ids={
            "ticket_id": ticket.pk,
            "attachment_id": attachment.pk,
            "contact_id": contact.pk,
            "account_id": account.pk,
            "status_id": Status.objects.get(name="处理中").pk,
            "priority_id": Priority.objects.get(name="高").pk,
            "department_id": department.pk,
            "team_id": team.pk,
            "brand_id": brand.pk,
            "user_id": colleague.user_id,
        },
    )


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # The world fixture is set up once per operation and shared by its examples, on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_conforms_to_its_schema(case, world):
    aim_at_real_rows(case, world)
    response = case.call(headers={"Authorization": f"Bearer {world.secret}"})
    case.validate_response(response, checks=CHECKS)


def aim_at_real_rows(case, world: World) -> None:
    """Point half of the generated ids at rows that exist, so the happy paths are fuzzed too.

    Random ids almost never exist, which would leave every write refused with 404 or 422. An even id
    becomes the id of a real row; odd ids and values of the wrong type stay as generated.
    """
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name, value in list(container.items()):
            target = world.ids.get(ALIASES.get(name, name))
            is_id = isinstance(value, int) and not isinstance(value, bool)
            if target is not None and is_id and value % 2 == 0:
                container[name] = target
