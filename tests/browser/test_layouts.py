"""Settings → Layouts: an administrator builds the after-sales ticket layout — drags the type into a
section and makes it mandatory when creating, adds a severity pick list and a vehicle field, and a rule
"show the vehicle and make it mandatory when the severity is 严重" — and saves it; an agent's ticket
without a type is then refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.core.errors import ValidationFailed
from kefu.customfields.models import CustomField, Layout
from kefu.customfields.tests.factories import CustomFieldFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "nav": "布局",
        "edit": "编辑 售后服务 的布局",
        "type": "类型",
        "add": "添加",
        "on_create": "创建时必填",
        "add_rule": "添加规则",
        "when": "当",
        "save": "保存布局",
        "saved": "布局已保存。",
    },
    "en": {
        "nav": "Layouts",
        "edit": "Edit the layout of After-sales",
        "type": "Type",
        "add": "Add",
        "on_create": "Mandatory when creating",
        "add_rule": "Add a rule",
        "when": "When",
        "save": "Save layout",
        "saved": "The layout was saved.",
    },
}


def drag(page, handle, target) -> None:
    """Drag with the mouse, in small steps, as SortableJS's pointer-driven dragging needs."""
    start, end = handle.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, start["y"] + 5, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 4, steps=20)
    page.mouse.up()


def test_an_administrator_builds_a_layout_with_a_rule(context, page, desk, live_server, lang):
    words = TEXTS[lang]
    CustomFieldFactory(key="severity", name="严重程度", name_en="Severity", choices=["一般", "严重"])
    CustomFieldFactory(key="vehicle", name="车辆", name_en="Vehicle", field_type=CustomField.FieldType.TEXT)
    severity = "Severity" if lang == "en" else "严重程度"
    vehicle = "Vehicle" if lang == "en" else "车辆"
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/general/")
    page.get_by_role("link", name=words["nav"], exact=True).click()
    page.get_by_role("link", name=words["edit"]).click()

    available = page.get_by_test_id("layout-available")
    # The first field goes in with its button (a section is made for it), the type is dragged in.
    available.get_by_role("button", name=f"{words['add']}: {severity}").click()
    section = page.get_by_test_id("layout-section")
    expect(section.locator("[data-field]")).to_have_count(1)
    drag(
        page,
        available.locator('[data-field="type"] [data-drag-handle]'),
        section.locator("[data-field]").first,
    )
    expect(section.locator("[data-field]")).to_have_count(2)
    available.get_by_role("button", name=f"{words['add']}: {vehicle}").click()
    section.locator('[data-field="type"]').get_by_label(words["on_create"]).check()

    page.get_by_role("button", name=words["add_rule"]).click()
    rule = page.get_by_test_id("layout-rule")
    rule.get_by_label(words["when"], exact=True).select_option("custom_fields.severity")
    rule.get_by_label("严重", exact=True).check()
    rule.get_by_label(vehicle, exact=True).check()
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()

    layout = Layout.objects.get(department=desk.department)
    [stored] = layout.sections
    assert [(f["field"], f["required_on_create"]) for f in stored["fields"]] == [
        ("type", True),
        ("custom_fields.severity", False),
        ("custom_fields.vehicle", False),
    ]
    assert layout.rules == [
        {
            "when": {"field": "custom_fields.severity", "values": ["严重"]},
            "show": ["custom_fields.vehicle"],
            "require": True,
        }
    ]
    data = TicketCreateInput(
        subject="车辆抛锚",
        description="高速上抛锚了。",
        department_id=desk.department.pk,
        contact=ContactRef(contact_id=desk.contact.pk),
        custom_fields={"severity": "严重"},
    )
    with pytest.raises(ValidationFailed) as refused:
        ticket_create(actor=Actor.agent(desk.agent.user), source=Source.WEB, data=data)
    assert refused.value.fields == {
        "type": "This field is required.",
        "custom_fields.vehicle": "This field is required.",
    }
