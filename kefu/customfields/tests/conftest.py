"""The customer of seed 003: a shop with a books and an electronics department sharing one sub-category
field whose values differ per department."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.customfields.services import custom_field_create, option_create
from kefu.org.tests.factories import AgentFactory, DepartmentFactory

WEB = Source.WEB


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


@pytest.fixture
def books(db):
    return DepartmentFactory(code="books", name="图书", name_en="Books")


@pytest.fixture
def electronics(db):
    return DepartmentFactory(code="electronics", name="电子产品", name_en="Electronics")


@pytest.fixture
def sub_category(admin, books, electronics):
    """Seed 003: one sub-category field, one set of values for books and another for electronics."""
    field = custom_field_create(
        actor=admin, source=WEB, module="ticket", key="sub_category", field_type="picklist", name="子类别",
        choices=["其他"],
    )  # fmt: skip
    for value, department in (("小说", books), ("教辅", books), ("手机", electronics), ("耳机", electronics)):
        option_create(actor=admin, source=WEB, field_id=field.pk, value=value, department_ids=[department.pk])
    return field


@pytest.fixture
def books_agent(books):
    return AgentFactory(user__email="li.na@kefu.test", user__name="李娜", departments=[books])


@pytest.fixture
def electronics_agent(electronics):
    return AgentFactory(user__email="chen.gang@kefu.test", user__name="陈刚", departments=[electronics])
