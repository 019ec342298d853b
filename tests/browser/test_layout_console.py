"""The console follows the layout, live: on the create form the vehicle field appears (and is marked
mandatory) when the agent chooses severity 严重; the new ticket's properties panel shows the layout's
sections with the closing marks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.customfields.models import CustomField
from kefu.customfields.services.layouts import layout_save
from kefu.customfields.tests.factories import CustomFieldFactory
from kefu.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "basics": "基本信息",
        "closing": "结案",
        "severity": "严重程度",
        "vehicle": "车辆",
        "type": "类型",
        "create": "创建工单",
    },
    "en": {
        "basics": "Basics",
        "closing": "Closing",
        "severity": "Severity",
        "vehicle": "Vehicle",
        "type": "Type",
        "create": "Create ticket",
    },
}


RULE = {"when": {"field": "custom_fields.severity", "values": ["严重"]}, "show": ["custom_fields.vehicle"]}


def test_the_create_form_and_the_properties_follow_the_layout_live(signed_in, desk, lang):
    words = TEXTS[lang]
    CustomFieldFactory(key="severity", name="严重程度", name_en="Severity", choices=["一般", "严重"])
    CustomFieldFactory(key="vehicle", name="车辆", name_en="Vehicle", field_type=CustomField.FieldType.TEXT)
    CustomFieldFactory(
        key="resolution", name="处理结果", name_en="Resolution", field_type=CustomField.FieldType.TEXT
    )
    layout_save(
        actor=Actor.agent(desk.admin.user),
        source=Source.WEB,
        module="ticket",
        department_id=desk.department.pk,
        sections=[
            {"key": "basics", "name": "基本信息", "name_en": "Basics", "fields": [
                {"field": "custom_fields.severity"}, {"field": "type", "required_on_create": True},
                {"field": "custom_fields.vehicle"}]},
            {"key": "closing", "name": "结案", "name_en": "Closing", "fields": [
                {"field": "custom_fields.resolution", "required_on_close": True}]},
        ],
        rules=[RULE],
    )  # fmt: skip
    page = signed_in
    page.goto(f"/tickets/new/?department={desk.department.pk}")
    expect(page.get_by_test_id("layout-section")).to_have_text([words["basics"], words["closing"]])
    vehicle = page.locator('[data-layout-field="custom_fields.vehicle"]')
    expect(vehicle).to_be_hidden()

    page.get_by_label(words["severity"], exact=True).select_option("严重")
    expect(vehicle).to_be_visible()
    expect(vehicle.locator(".form-label")).to_have_class("form-label required")
    page.get_by_label(words["severity"], exact=True).select_option("一般")
    expect(vehicle).to_be_hidden()
    page.get_by_label(words["severity"], exact=True).select_option("严重")

    page.locator("#contact-email").fill("wang.fang@example.cn")
    page.locator("#ticket-subject").fill("车辆抛锚")
    page.locator("trix-editor").fill("高速上抛锚了。")
    page.get_by_label(words["type"], exact=True).select_option(
        label="问题" if lang == "zh-hans" else "Problem"
    )
    page.get_by_label(words["vehicle"], exact=True).fill("沪A·88888")
    page.get_by_role("button", name=words["create"]).click()

    expect(page.get_by_test_id("ticket-number")).to_be_visible()
    ticket = Ticket.objects.get(subject="车辆抛锚")
    assert ticket.custom_fields == {"severity": "严重", "vehicle": "沪A·88888"}
    panel = page.locator("#ticket-properties")
    expect(panel.get_by_test_id("layout-section")).to_have_text([words["basics"], words["closing"]])
    expect(panel.locator('[data-layout-field="custom_fields.resolution"] .form-label')).to_have_class(
        "form-label required"
    )
    expect(panel.locator('[data-layout-field="custom_fields.vehicle"]')).to_be_visible()
