"""The modules API: defining a module, record CRUD with exact payloads, 422 naming each bad value,
lookups, search and filters, and the permission matrix per role."""

from __future__ import annotations

import pytest

from kefu.contacts.tests.factories import ContactFactory
from kefu.core.models import AuditEntry
from kefu.modules.models import CustomModule, ModuleRoleAccess, Record, RecordLink
from kefu.modules.tests.factories import record, vehicles_module
from kefu.org.models import Role
from tests.helpers import error_of

MODULES = "/api/v1/modules"
RECORDS = "/api/v1/modules/vehicles/records"


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_administrator_defines_a_module(admin_api):
    payload = {
        "key": "vehicles",
        "name": "车辆",
        "name_en": "Vehicles",
        "fields": [
            {"key": "plate", "label": "车牌号", "type": "text", "required": True},
            {"key": "make", "label": "品牌", "type": "picklist", "options": ["丰田", "大众"]},
            {"key": "customer", "label": "客户", "type": "lookup", "lookup_module": "contacts"},
            {"key": "breakdowns", "label": "故障工单", "type": "lookup", "lookup_module": "tickets"},
        ],
    }
    response = admin_api.post_json(MODULES, payload)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "key": "vehicles",
        "name": "车辆",
        "name_en": "Vehicles",
        "description": "",
        "is_active": True,
        "fields": [
            {
                "key": "plate",
                "label": "车牌号",
                "label_en": "",
                "type": "text",
                "required": True,
                "options": [],
                "lookup_module": "",
            },
            {
                "key": "make",
                "label": "品牌",
                "label_en": "",
                "type": "picklist",
                "required": False,
                "options": ["丰田", "大众"],
                "lookup_module": "",
            },
            {
                "key": "customer",
                "label": "客户",
                "label_en": "",
                "type": "lookup",
                "required": False,
                "options": [],
                "lookup_module": "contacts",
            },
            {
                "key": "breakdowns",
                "label": "故障工单",
                "label_en": "",
                "type": "lookup",
                "required": False,
                "options": [],
                "lookup_module": "tickets",
            },
        ],
    }
    module = CustomModule.objects.get(key="vehicles")
    levels = {
        row.role.key: row.level
        for row in ModuleRoleAccess.objects.filter(module=module).select_related("role")
    }
    assert levels == {"administrator": 3, "supervisor": 2, "agent": 2, "light_agent": 1}
    assert AuditEntry.objects.filter(action="module.created", object_id=module.pk).count() == 1


def test_a_bad_definition_names_every_bad_field(admin_api):
    response = admin_api.post_json(
        MODULES,
        {
            "key": "9cars",
            "name": "",
            "fields": [
                {"key": "make", "label": "品牌", "type": "picklist"},
                {"key": "make", "label": "型号", "type": "colour"},
                {"key": "owner", "label": "车主", "type": "lookup", "lookup_module": "planets"},
            ],
        },
    )
    error = error_of(response, 422)
    assert error["fields"] == {
        "key": "Start with a letter; use lower-case letters, digits and underscores (at most 40).",
        "name": "This field is required.",
        "fields.0.options": "Enter at least one option.",
        "fields.1.type": "Unknown field type.",
        "fields.1.key": "Each field needs its own key.",
        "fields.2.lookup_module": "Choose tickets, contacts, accounts or the key of a module.",
    }
    assert not CustomModule.objects.exists()


def test_an_agent_may_not_define_modules(api):
    error = error_of(api.post_json(MODULES, {"key": "vehicles", "name": "车辆"}), 403)
    assert error["code"] == "permission_denied"
    assert not CustomModule.objects.exists()


def test_record_crud_with_exact_payloads(api, agent):
    vehicles_module()
    contact = ContactFactory(name="王芳")
    response = api.post_json(
        RECORDS,
        {
            "values": {"plate": "沪A·12345", "make": "丰田", "model": "卡罗拉", "customer": contact.pk},
            "external_id": "car-1",
        },
    )
    assert response.status_code == 201, response.content
    created = Record.objects.get()
    body = response.json()
    assert body == {
        "id": created.pk,
        "module": "vehicles",
        "title": "沪A·12345",
        "values": {
            "plate": "沪A·12345",
            "make": "丰田",
            "model": "卡罗拉",
            "customer": contact.pk,
            "breakdowns": [],
        },
        "external_id": "car-1",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert list(RecordLink.objects.values_list("target_type", "target_id")) == [("contact", contact.pk)]
    assert api.get(f"{RECORDS}/{created.pk}").json() == body

    patched = api.patch_json(f"{RECORDS}/{created.pk}", {"values": {"state": "维修中", "model": None}})
    assert patched.status_code == 200, patched.content
    assert patched.json()["values"] == {
        "plate": "沪A·12345",
        "make": "丰田",
        "state": "维修中",
        "customer": contact.pk,
        "breakdowns": [],
    }
    assert [
        entry.action
        for entry in AuditEntry.objects.filter(object_id=created.pk, object_type="modules.record")
    ] == [
        "record.created",
        "record.updated",
    ]


def test_bad_values_are_a_422_naming_each_value(api):
    vehicles_module()
    response = api.post_json(
        RECORDS,
        {"values": {"make": "特斯拉", "customer": 999999, "colour": "红", "breakdowns": [424242]}},
    )
    error = error_of(response, 422)
    assert error["fields"] == {
        "values.make": "Choose one of: 丰田, 大众, 比亚迪.",
        "values.colour": "Unknown field.",
        "values.plate": "This field is required.",
        "values.customer": "No such record.",
        "values.breakdowns": "No such ticket: 424242.",
    }
    assert not Record.objects.exists()


def test_ticket_lookup_links_tickets_the_agent_sees_only(api, create_ticket, other_department):
    vehicles_module()
    mine = create_ticket(subject="车辆抛锚")
    hidden = create_ticket(subject="别的部门", department_id=other_department.pk)
    car = record(plate="沪A·1")
    # Another department's ticket does not exist for this agent.
    error = error_of(api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"breakdowns": [hidden.pk]}}), 422)
    assert error["fields"] == {"values.breakdowns": f"No such ticket: {hidden.pk}."}
    # The system links the hidden one; the agent's own write keeps it and he never sees its id.
    RecordLink.objects.create(
        record=car, field=car.module.fields.get(key="breakdowns"), target_type="ticket", target_id=hidden.pk
    )
    response = api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"breakdowns": [mine.pk]}})
    assert response.json()["values"]["breakdowns"] == [mine.pk]
    assert sorted(
        RecordLink.objects.filter(target_type="ticket").values_list("target_id", flat=True)
    ) == sorted([mine.pk, hidden.pk])


def test_a_ticket_has_one_record_per_ticket_lookup(api, create_ticket):
    vehicles_module()
    ticket = create_ticket(subject="车辆抛锚")
    first, second = record(plate="沪A·1"), record(plate="沪A·2")
    api.patch_json(f"{RECORDS}/{first.pk}", {"values": {"breakdowns": [ticket.pk]}})
    api.patch_json(f"{RECORDS}/{second.pk}", {"values": {"breakdowns": [ticket.pk]}})
    assert list(RecordLink.objects.filter(target_type="ticket").values_list("record_id", flat=True)) == [
        second.pk
    ]
    assert api.get(f"{RECORDS}/{first.pk}").json()["values"]["breakdowns"] == []


def test_search_and_filters(api):
    vehicles_module()
    corolla = record(plate="沪A·11111", make="丰田", model="Corolla")
    record(plate="沪B·22222", make="大众", model="Golf")
    assert [item["id"] for item in api.get(RECORDS, {"q": "corolla"}).json()["items"]] == [corolla.pk]
    assert [item["id"] for item in api.get(RECORDS, {"q": "沪A"}).json()["items"]] == [corolla.pk]
    assert [item["id"] for item in api.get(RECORDS, {"values.make": "丰田"}).json()["items"]] == [corolla.pk]
    assert len(api.get(RECORDS).json()["items"]) == 2
    error = error_of(api.get(RECORDS, {"values.colour": "红"}), 422)
    assert error["fields"] == {"values.colour": "Unknown field."}


def test_permissions_per_role(api_client_for, agent, light_agent, department):
    module = vehicles_module()
    car = record(plate="沪A·1")
    light = api_client_for(light_agent)
    # Read: a light agent reads but may not write or delete.
    assert light.get(f"{RECORDS}/{car.pk}").status_code == 200
    assert (
        error_of(light.post_json(RECORDS, {"values": {"plate": "沪C·3"}}), 403)["code"] == "permission_denied"
    )
    # Write: an agent writes, but deleting needs manage.
    api = api_client_for(agent)
    assert api.patch_json(f"{RECORDS}/{car.pk}", {"values": {"model": "卡罗拉"}}).status_code == 200
    assert error_of(api.delete(f"{RECORDS}/{car.pk}"), 403)["code"] == "permission_denied"
    # None: the module does not exist for the role.
    ModuleRoleAccess.objects.filter(module=module, role=Role.objects.get(key="agent")).update(level=0)
    from kefu.core.catalog_cache import catalog_changed

    catalog_changed()
    assert error_of(api.get(RECORDS), 404)["code"] == "not_found"
    assert api.get(MODULES).json() == {"items": []}
    # Manage: the administrator deletes.
    assert Record.objects.filter(pk=car.pk).exists()


def test_administrator_deletes_and_anonymous_is_refused(api_client_for, admin_agent):
    vehicles_module()
    car = record(plate="沪A·1")
    assert error_of(api_client_for(None).get(RECORDS), 401)["code"] == "unauthenticated"
    response = api_client_for(admin_agent).delete(f"{RECORDS}/{car.pk}")
    assert response.status_code == 204
    assert not Record.objects.exists()
    assert AuditEntry.objects.filter(action="record.deleted", object_id=car.pk).count() == 1


def test_lookup_to_another_module(admin_api):
    from kefu.modules.inputs import FieldInput

    vehicles_module()
    vehicles_module(
        fields=(
            FieldInput(key="no", label="合同号", type="text"),
            FieldInput(key="car", label="车辆", type="lookup", lookup_module="vehicles"),
        ),
        key="contracts",
    )
    car = record(plate="沪A·1")
    response = admin_api.post_json(
        "/api/v1/modules/contracts/records", {"values": {"no": "C-1", "car": car.pk}}
    )
    assert response.status_code == 201, response.content
    assert response.json()["values"] == {"no": "C-1", "car": car.pk}
    error = error_of(
        admin_api.post_json("/api/v1/modules/contracts/records", {"values": {"car": "abc"}}), 422
    )
    assert error["fields"] == {"values.car": "Enter the id of a record."}


def test_changing_a_definition_keeps_types_and_deactivates_missing_fields(admin_api):
    vehicles_module()
    response = admin_api.patch_json(
        f"{MODULES}/vehicles",
        {
            "fields": [
                {"key": "plate", "label": "牌照", "type": "text"},
                {"key": "vin", "label": "车架号", "type": "text"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert [(f["key"], f["label"]) for f in response.json()["fields"]] == [
        ("plate", "牌照"),
        ("vin", "车架号"),
    ]
    error = error_of(
        admin_api.patch_json(
            f"{MODULES}/vehicles", {"fields": [{"key": "plate", "label": "牌照", "type": "number"}]}
        ),
        422,
    )
    assert error["fields"] == {"fields.0.type": "A field's type cannot change; add a new field instead."}
