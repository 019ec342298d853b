"""Layouts: the pure evaluation (shown, mandatory, rules), the services' checks, the department fallback and
``/api/v1/layouts`` (permissions, errors named by place, audit)."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.customfields.layouts import LayoutField, LayoutRule, LayoutSection, LayoutSpec, comparable
from kefu.customfields.models import CustomField, Layout
from kefu.customfields.selectors import layout_spec
from kefu.customfields.services.layouts import layout_delete, layout_field_catalog, layout_save
from kefu.customfields.tests.factories import CustomFieldFactory
from tests.helpers import error_of

URL = "/api/v1/layouts"

SPEC = LayoutSpec(
    module="ticket",
    department_id=None,
    sections=(
        LayoutSection(
            key="basics",
            name="基本信息",
            name_en="Basics",
            fields=(
                LayoutField("type", required_on_create=True),
                LayoutField("priority"),
                LayoutField("custom_fields.vehicle", required_on_close=True),
                LayoutField("custom_fields.plate"),
            ),
        ),
    ),
    rules=(LayoutRule("type", ("4",), ("custom_fields.vehicle", "custom_fields.plate"), require=True),),
)


# --- evaluation ---------------------------------------------------------------------------------------


def test_a_field_a_rule_governs_is_hidden_until_the_rule_matches():
    assert SPEC.shown({"type": 1}) == {"type", "priority"}
    assert SPEC.shown({"type": 4}) == {"type", "priority", "custom_fields.vehicle", "custom_fields.plate"}


def test_mandatory_fields_per_phase_and_rule():
    assert SPEC.required({"type": 1}, phase="create") == ["type"]
    assert SPEC.required({"type": 1}, phase="close") == []  # the vehicle is hidden, so not mandatory
    assert SPEC.required({"type": 4}, phase="create") == [
        "type",
        "custom_fields.vehicle",
        "custom_fields.plate",
    ]
    assert SPEC.missing({"type": 4, "custom_fields.plate": "沪A·1"}, phase="close") == [
        "custom_fields.vehicle"
    ]
    assert SPEC.missing({"type": None}, phase="create") == ["type"]


def test_after_a_change_only_what_the_change_touched_is_its_fault():
    values = {"type": 4, "custom_fields.vehicle": None, "custom_fields.plate": "沪A·1"}
    assert SPEC.missing_after_change(values, {"type"}) == ["custom_fields.vehicle"]
    assert SPEC.missing_after_change(values, {"custom_fields.vehicle"}) == ["custom_fields.vehicle"]
    assert SPEC.missing_after_change(values, {"priority"}) == []
    assert SPEC.missing_after_change({**values, "type": 1}, {"type"}) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), (4, ["4"]), ("小说", ["小说"]), (True, ["true"]), (["a", 2], ["a", "2"]), ([], [])],
)
def test_values_compare_as_text(value, expected):
    assert comparable(value) == expected


# --- services -----------------------------------------------------------------------------------------


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


@pytest.fixture
def vehicle(db):
    return CustomFieldFactory(key="vehicle", name="车辆", field_type=CustomField.FieldType.TEXT)


@pytest.fixture
def severity(db):
    return CustomFieldFactory(key="severity", name="严重程度", choices=["一般", "严重"])


SECTIONS = [
    {
        "key": "basics",
        "name": "基本信息",
        "name_en": "Basics",
        "fields": [
            {"field": "type", "required_on_create": True},
            {"field": "custom_fields.severity"},
            {"field": "custom_fields.vehicle", "required_on_close": True},
        ],
    }
]
RULES = [{"when": {"field": "custom_fields.severity", "values": ["严重"]}, "show": ["custom_fields.vehicle"]}]


def test_an_administrator_saves_a_layout_and_it_is_audited(admin, admin_agent, vehicle, severity, department):
    row = layout_save(
        actor=admin,
        source=Source.WEB,
        module="ticket",
        department_id=department.pk,
        sections=SECTIONS,
        rules=RULES,
    )
    assert row.sections == [
        {
            "key": "basics",
            "name": "基本信息",
            "name_en": "Basics",
            "fields": [
                {"field": "type", "required_on_create": True, "required_on_close": False},
                {"field": "custom_fields.severity", "required_on_create": False, "required_on_close": False},
                {"field": "custom_fields.vehicle", "required_on_create": False, "required_on_close": True},
            ],
        }
    ]
    assert row.rules == [
        {
            "when": {"field": "custom_fields.severity", "values": ["严重"]},
            "show": ["custom_fields.vehicle"],
            "require": True,
        }
    ]
    entry = AuditEntry.objects.get(action="layout.saved")
    assert (entry.actor_id, entry.object_id, entry.changes["before"]) == (admin_agent.user.pk, row.pk, None)
    spec = layout_spec("ticket", department.pk)
    assert spec.missing({"custom_fields.severity": "严重"}, phase="close") == ["custom_fields.vehicle"]
    # Saving again replaces the layout (one row per module and department).
    layout_save(actor=admin, source=Source.WEB, module="ticket", department_id=department.pk, sections=[])
    assert Layout.objects.count() == 1
    assert layout_spec("ticket", department.pk).fields == ()


def test_a_department_without_a_layout_follows_the_default_one(admin, department, other_department):
    assert layout_spec("ticket", department.pk) is None
    default = [{"key": "main", "name": "主要", "fields": [{"field": "priority", "required_on_close": True}]}]
    own = [{"key": "main", "name": "主要", "fields": [{"field": "type", "required_on_create": True}]}]
    layout_save(actor=admin, source=Source.WEB, module="ticket", department_id=None, sections=default)
    layout_save(actor=admin, source=Source.WEB, module="ticket", department_id=department.pk, sections=own)
    assert [f.field for f in layout_spec("ticket", department.pk).fields] == ["type"]
    assert [f.field for f in layout_spec("ticket", other_department.pk).fields] == ["priority"]
    layout_delete(actor=admin, source=Source.WEB, module="ticket", department_id=department.pk)
    assert [f.field for f in layout_spec("ticket", department.pk).fields] == ["priority"]
    assert AuditEntry.objects.filter(action="layout.deleted").count() == 1


def test_a_department_layout_offers_only_the_custom_fields_of_that_department(
    db, department, other_department
):
    CustomFieldFactory(key="everywhere", name="通用", field_type=CustomField.FieldType.TEXT)
    CustomFieldFactory(
        key="books_only",
        name="图书专用",
        field_type=CustomField.FieldType.TEXT,
        departments=[other_department],
    )
    CustomFieldFactory(key="retired", name="停用", field_type=CustomField.FieldType.TEXT, is_active=False)
    assert list(layout_field_catalog("ticket", department.pk)) == [
        "priority", "type", "assignee_id", "tags", "custom_fields.everywhere",
    ]  # fmt: skip
    assert "custom_fields.books_only" in layout_field_catalog("ticket", other_department.pk)
    assert "custom_fields.books_only" in layout_field_catalog("ticket", None)


def test_every_problem_is_named_by_its_place(admin, severity, vehicle):
    sections = [
        {
            "key": "a",
            "name": "",
            "fields": [{"field": "nope"}, {"field": "type", "required_on_create": "yes"}],
        },
        {"key": "a", "name": "第二", "fields": [{"field": "type"}, {"field": "custom_fields.severity"}]},
        "x",
    ]
    rules = [
        {"when": {"field": "custom_fields.severity", "values": ["致命"]}, "show": ["custom_fields.vehicle"]},
        {"when": {"field": "type", "values": []}, "show": ["type"]},
        {"when": {"field": "status", "values": ["1"]}, "show": []},
    ]
    with pytest.raises(ValidationFailed) as refused:
        layout_save(
            actor=admin,
            source=Source.WEB,
            module="ticket",
            department_id=None,
            sections=sections,
            rules=rules,
        )
    assert refused.value.fields == {
        "sections.0.name": "Enter a name of at most 100 characters.",
        "sections.0.fields.0.field": "Unknown field “nope”.",
        "sections.0.fields.1.required_on_create": "Enter true or false.",
        "sections.1.key": "Each section key may appear only once.",
        "sections.1.fields.0.field": "“type” is already in the layout.",
        "sections.2": "Give a section as an object.",
        "rules.0.when.values": "Choose among: 一般, 严重.",
        "rules.0.show.0": "Choose a field of the layout.",
        "rules.1.when.values": "Give from 1 to 50 values.",
        "rules.1.show.0": "A rule cannot show the field it depends on.",
        "rules.2.when.field": "Choose a field of the layout.",
        "rules.2.show": "Choose at least one field to show.",
    }
    assert not Layout.objects.exists()


def test_layouts_need_the_settings_right_and_a_module_with_layouts(agent, admin):
    with pytest.raises(PermissionDenied):
        layout_save(
            actor=Actor.agent(agent.user), source=Source.WEB, module="ticket", department_id=None, sections=[]
        )
    with pytest.raises(ValidationFailed) as refused:
        layout_save(actor=admin, source=Source.WEB, module="planet", department_id=None, sections=[])
    assert refused.value.fields == {"module": "Layouts are not available for this module."}
    with pytest.raises(ValidationFailed) as unknown:
        layout_save(actor=admin, source=Source.WEB, module="ticket", department_id=987654, sections=[])
    assert unknown.value.fields == {"department_id": "Unknown id 987654."}
    assert not Layout.objects.exists()


# --- API ----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_put_get_list_and_delete_a_layout(admin_api, api, severity, vehicle, department):
    put = admin_api.put(
        f"{URL}/ticket?department_id={department.pk}",
        data={"sections": SECTIONS, "rules": RULES},
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    body = put.json()
    assert (body["module"], body["department_id"], body["rules"][0]["require"]) == (
        "ticket",
        department.pk,
        True,
    )
    assert [f["field"] for f in body["sections"][0]["fields"]] == [
        "type",
        "custom_fields.severity",
        "custom_fields.vehicle",
    ]
    # Any agent reads layouts (forms and clients need to know what is mandatory).
    assert api.get(f"{URL}/ticket", {"department_id": department.pk}).json() == body
    assert api.get(URL).json() == {"items": [body]}
    assert api.get(f"{URL}/ticket").status_code == 404  # no default layout
    fields = api.get(f"{URL}/ticket/fields", {"department_id": department.pk}).json()["items"]
    assert fields[:2] == [{"field": "priority", "label": "Priority"}, {"field": "type", "label": "Type"}]
    assert {"field": "custom_fields.vehicle", "label": "车辆"} in fields
    assert api.get(f"{URL}/planet/fields").status_code == 404
    assert admin_api.delete(f"{URL}/ticket?department_id={department.pk}").status_code == 204
    assert not Layout.objects.exists()
    assert admin_api.delete(f"{URL}/ticket?department_id={department.pk}").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "agent"])
def test_only_the_settings_right_writes_layouts(who, api_client_for, agent):
    client = api_client_for(None if who == "anonymous" else agent)
    expected = 401 if who == "anonymous" else 403
    response = client.put(f"{URL}/ticket", data={"sections": []}, content_type="application/json")
    error_of(response, expected)
    error_of(client.delete(f"{URL}/ticket"), expected)
    assert not Layout.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="layout.").exists()
    if who == "anonymous":
        error_of(client.get(URL), 401)


def test_a_bad_layout_is_a_422_naming_each_place_in_the_clients_language(admin_api):
    payload = {"sections": [{"key": "a", "name": "甲", "fields": [{"field": "nope"}]}]}
    refused = error_of(admin_api.put(f"{URL}/ticket", data=payload, content_type="application/json"), 422)
    assert refused["fields"] == {"sections.0.fields.0.field": "Unknown field “nope”."}
    in_chinese = error_of(
        admin_api.put(
            f"{URL}/ticket", data=payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ),
        422,
    )
    assert in_chinese["fields"] == {"sections.0.fields.0.field": "未知字段“nope”。"}
    assert in_chinese["message"] == "布局无效。"
    not_a_list = error_of(
        admin_api.put(f"{URL}/ticket", data={"sections": "x"}, content_type="application/json"), 422
    )
    assert not_a_list["fields"] == {"sections": "Give a list of sections."}
    unknown_key = error_of(
        admin_api.put(f"{URL}/ticket", data={"sections": [], "colour": 1}, content_type="application/json"),
        422,
    )
    assert list(unknown_key["fields"]) == ["colour"]
