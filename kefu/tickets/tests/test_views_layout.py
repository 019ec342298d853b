"""The console follows the department's layout: the create form and the properties panel draw the layout's
sections in order, mark what is mandatory (when creating, when closing), leave out the fields the layout
does not place and hide a rule's fields until the rule matches; without a layout nothing changes."""

from __future__ import annotations

import re

import pytest

from kefu.core.actors import Actor, Source
from kefu.customfields.models import CustomField
from kefu.customfields.services.layouts import layout_save
from kefu.customfields.tests.factories import CustomFieldFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def layout(department, admin_agent):
    CustomFieldFactory(key="severity", name="严重程度", name_en="Severity", choices=["一般", "严重"])
    CustomFieldFactory(key="vehicle", name="车辆", name_en="Vehicle", field_type=CustomField.FieldType.TEXT)
    CustomFieldFactory(
        key="resolution", name="处理结果", name_en="Resolution", field_type=CustomField.FieldType.TEXT
    )
    CustomFieldFactory(key="unused", name="不用的字段", field_type=CustomField.FieldType.TEXT)
    return layout_save(
        actor=Actor.agent(admin_agent.user),
        source=Source.WEB,
        module="ticket",
        department_id=department.pk,
        sections=[
            {
                "key": "basics",
                "name": "基本信息",
                "name_en": "Basics",
                "fields": [
                    {"field": "custom_fields.severity"},
                    {"field": "type", "required_on_create": True},
                    {"field": "custom_fields.vehicle"},
                ],
            },
            {
                "key": "closing",
                "name": "结案",
                "name_en": "Closing",
                "fields": [
                    {"field": "custom_fields.resolution", "required_on_close": True},
                    {"field": "priority"},
                ],
            },
        ],
        rules=[
            {
                "when": {"field": "custom_fields.severity", "values": ["严重"]},
                "show": ["custom_fields.vehicle"],
            }
        ],
    )


def wrappers(page: str) -> list[tuple[str, bool]]:
    """Each layout field's wrapper in page order: (name, hidden)."""
    return [
        (name, rest.endswith(" hidden"))
        for name, rest in re.findall(r'data-layout-field="([^"]+)" data-layout-flag="[a-z]+"( hidden)?', page)
    ]


def sections(page: str) -> list[str]:
    return re.findall(r'data-testid="layout-section">([^<]+)<', page)


@pytest.fixture
def console(client, agent):
    client.force_login(agent.user)
    return client


def test_the_create_form_draws_the_layout(console, layout, department):
    page = console.get("/tickets/new/", {"department": department.pk}).content.decode()
    assert sections(page) == ["Basics", "Closing"]
    assert wrappers(page) == [
        ("custom_fields.severity", False),
        ("type", False),
        ("custom_fields.vehicle", True),
        ("custom_fields.resolution", False),
        ("priority", False),
    ]
    assert 'class="form-label required" for="ticket-type"' in page
    assert 'class="form-label" for="create-cf-resolution"' in page  # mandatory when closing, not creating
    assert "不用的字段" not in page
    assert 'name="assignee"' not in page
    assert 'name="tags"' not in page
    assert "&quot;show&quot;: [&quot;custom_fields.vehicle&quot;]" in page
    assert "tickets/layout.js" in page


def test_the_department_part_follows_the_values_sent_back(console, layout, department):
    part = console.get(
        "/tickets/new/",
        {"part": "department", "department": department.pk, "cf_severity": "严重"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert ("custom_fields.vehicle", False) in wrappers(part)
    assert 'class="form-label required" for="create-cf-vehicle"' in part
    refused = console.post(
        "/tickets/new/",
        {"subject": "车辆抛锚", "description": "高速上抛锚了。", "department": department.pk,
         "contact_email": "wang.fang@example.cn", "cf_severity": "严重"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert ("custom_fields.vehicle", False) in wrappers(refused.content.decode())


def test_the_properties_panel_draws_the_layout_with_the_closing_marks(console, layout, department, agent):
    ticket = ticket_create(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        data=TicketCreateInput(
            subject="车辆抛锚",
            description="高速上抛锚了。",
            department_id=department.pk,
            contact=ContactRef(email="wang.fang@example.cn"),
            type="问题",
            custom_fields={"severity": "严重", "vehicle": "沪A·88888"},
        ),
    )
    page = console.get(f"/tickets/{ticket.pk}/").content.decode()
    assert sections(page) == ["Basics", "Closing"]
    assert wrappers(page) == [
        ("custom_fields.severity", False),
        ("type", False),
        ("custom_fields.vehicle", False),
        ("custom_fields.resolution", False),
        ("priority", False),
    ]
    assert 'class="form-label required" for="prop-cf-resolution"' in page
    assert 'class="form-label required" for="prop-cf-vehicle"' in page
    assert 'class="form-label" for="prop-type"' in page  # mandatory when creating, not closing
    assert 'for="prop-status"' in page
    assert 'for="prop-team"' in page
    assert 'for="prop-department"' in page
    assert "不用的字段" not in page


def test_without_a_layout_the_pages_show_every_field_as_before(console, department, create_ticket):
    CustomFieldFactory(key="unused", name="不用的字段", field_type=CustomField.FieldType.TEXT)
    page = console.get("/tickets/new/", {"department": department.pk}).content.decode()
    assert sections(page) == []
    assert [name for name, _hidden in wrappers(page)] == [
        "priority",
        "type",
        "tags",
        "assignee_id",
        "custom_fields.unused",
    ]
    ticket = create_ticket()
    panel = console.get(f"/tickets/{ticket.pk}/").content.decode()
    assert [name for name, _hidden in wrappers(panel)] == [
        "priority",
        "type",
        "assignee_id",
        "tags",
        "custom_fields.unused",
    ]
    order = [
        panel.index(f'for="prop-{name}"')
        for name in ("status", "priority", "assignee", "team", "department", "tags")
    ]
    assert order == sorted(order)
