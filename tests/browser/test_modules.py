"""Custom modules in a browser, in both languages: an administrator builds a Vehicles module with four
fields and a lookup to tickets, adds a car, and an agent picks that car on a breakdown ticket."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.modules.models import Record, RecordLink
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = {
    "en": {
        "settings": "Settings",
        "modules": "Modules",
        "key": "Key",
        "name": "Name (Chinese)",
        "name_en": "Name (English)",
        "create": "Create module",
        "label": "Label (Chinese)",
        "label_en": "Label (English)",
        "type": "Type",
        "options": "Options",
        "looks_up": "Looks up",
        "required": "Required",
        "add_field": "Add field",
        "field_added": "The field was added.",
        "new_record": "New record",
        "save_record": "Save record",
        "record_saved": "The record was saved.",
        "linked_records": "Linked records",
        "link": "Link",
        "vehicles": "Vehicles",
        "plate": "Licence plate",
        "make": "Make",
        "choose": "Choose Breakdowns",
    },
    "zh-hans": {
        "settings": "设置",
        "modules": "模块",
        "key": "标识",
        "name": "名称（中文）",
        "name_en": "名称（英文）",
        "create": "创建模块",
        "label": "名称（中文）",
        "label_en": "名称（英文）",
        "type": "类型",
        "options": "选项",
        "looks_up": "关联到",
        "required": "必填",
        "add_field": "添加字段",
        "field_added": "字段已添加。",
        "new_record": "新建记录",
        "save_record": "保存记录",
        "record_saved": "记录已保存。",
        "linked_records": "关联记录",
        "link": "关联",
        "vehicles": "车辆",
        "plate": "车牌号",
        "make": "品牌",
        "choose": "选择故障工单",
    },
}

FIELDS = [
    # key, Chinese label, English label, type, options, lookup target, required
    ("plate", "车牌号", "Licence plate", "text", "", "", True),
    ("make", "品牌", "Make", "picklist", "丰田\n大众\n比亚迪", "", False),
    ("state", "租赁状态", "Rental state", "picklist", "空闲\n出租中\n维修中", "", False),
    ("customer", "客户", "Customer", "lookup", "", "contacts", False),
    ("breakdowns", "故障工单", "Breakdowns", "lookup", "", "tickets", False),
]


def test_build_a_vehicles_module_and_pick_a_car_on_a_ticket(
    context, page, desk, lang, live_server, screenshot
):
    words = WORDS[lang]
    breakdown = ticket_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=TicketCreateInput(
            subject="车辆抛锚",
            description="高速上车辆抛锚，需要救援。",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=desk.contact.pk),
        ),
    )

    # The administrator defines the module and its fields.
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/modules/")
    expect(page.get_by_role("heading", level=2)).to_have_text(words["modules"])
    page.get_by_label(words["key"], exact=True).fill("vehicles")
    page.get_by_label(words["name"], exact=True).fill("车辆")
    page.get_by_label(words["name_en"], exact=True).fill("Vehicles")
    page.get_by_role("button", name=words["create"], exact=True).click()
    form = page.get_by_test_id("field-form")
    for key, label, label_en, field_type, options, target, required in FIELDS:
        form.get_by_label(words["key"], exact=True).fill(key)
        form.get_by_label(words["label"], exact=True).fill(label)
        form.get_by_label(words["label_en"], exact=True).fill(label_en)
        form.get_by_label(words["type"], exact=True).select_option(field_type)
        if options:
            form.get_by_label(words["options"], exact=True).fill(options)
        if target:
            form.get_by_label(words["looks_up"], exact=True).select_option(target)
        if required:
            form.get_by_label(words["required"], exact=True).check()
        form.get_by_role("button", name=words["add_field"], exact=True).click()
        expect(page.get_by_role("status")).to_have_text(words["field_added"])
    expect(page.get_by_test_id("module-fields").get_by_role("row")).to_have_count(len(FIELDS) + 1)
    screenshot(page, "module-settings")

    # The administrator adds a car from the module's pages.
    page.get_by_role("navigation", name="Main" if lang == "en" else "主导航").get_by_role(
        "link", name=words["modules"]
    ).click()
    page.get_by_role("link", name=words["vehicles"]).click()
    page.get_by_role("link", name=words["new_record"], exact=True).click()
    page.get_by_label(words["plate"], exact=True).fill("沪A·88888")
    page.get_by_label(words["make"], exact=True).select_option("丰田")
    page.get_by_role("button", name=words["save_record"], exact=True).click()
    expect(page.get_by_role("status")).to_have_text(words["record_saved"])
    expect(page.get_by_role("heading", level=1)).to_have_text("沪A·88888")
    car = Record.objects.get()

    # The agent opens the breakdown ticket and picks the car.
    context.clear_cookies()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    sign_in_as(context, live_server.url, desk.agent.user)
    page.goto(f"/tickets/{breakdown.pk}/")
    panel = page.get_by_test_id("ticket-records")
    expect(panel.get_by_role("heading")).to_have_text(words["linked_records"])
    panel.get_by_label(words["choose"], exact=True).select_option(label="沪A·88888")
    panel.get_by_role("button", name=words["link"], exact=True).click()
    expect(page.get_by_test_id("ticket-record-link")).to_have_text("沪A·88888")
    assert list(RecordLink.objects.filter(target_type="ticket").values_list("record_id", "target_id")) == [
        (car.pk, breakdown.pk)
    ]
    screenshot(page, "ticket-with-vehicle")

    # The car's page lists its breakdown ticket.
    page.get_by_test_id("ticket-record-link").click()
    expect(page.get_by_test_id("record-tickets")).to_contain_text("车辆抛锚")
