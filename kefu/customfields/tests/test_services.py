"""Custom-field definitions: every type, choices for select types, departments, fixed key and type."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.customfields.models import CustomField
from kefu.customfields.selectors import field_specs
from kefu.customfields.services import custom_field_create, custom_field_update

WEB = Source.WEB
TYPES = [value for value, _label in CustomField.FieldType.choices]


@pytest.fixture
def admin(admin_agent):
    return Actor.agent(admin_agent.user)


def create(admin, **values):
    values = {"module": "ticket", "key": "order_no", "field_type": "text", "name": "订单号", **values}
    return custom_field_create(actor=admin, source=WEB, **values)


@pytest.mark.django_db
@pytest.mark.parametrize("field_type", TYPES)
def test_every_type_can_be_created(admin, field_type):
    choices = ["华东", "华北"] if field_type in ("picklist", "multi_select") else []
    field = create(admin, key=f"f_{field_type}", field_type=field_type, choices=choices)
    assert (field.field_type, field.choices) == (field_type, choices)
    assert len(TYPES) == 12


@pytest.mark.django_db
def test_a_department_field_applies_only_there_and_is_audited(admin, department, other_department):
    field = create(
        admin,
        key="model",
        name="型号",
        name_en="Model",
        field_type="picklist",
        choices=[" A1 ", "B2", ""],
        is_required=True,
        department_ids=[department.pk],
        order=3,
    )
    assert field.choices == ["A1", "B2"]
    assert [spec.key for spec in field_specs("ticket", department_id=department.pk)] == ["model"]
    assert field_specs("ticket", department_id=other_department.pk) == []
    entry = AuditEntry.objects.get(action="custom_field.created")
    assert entry.changes == {
        "module": "ticket",
        "key": "model",
        "field_type": "picklist",
        "is_required": True,
        "department_ids": [department.pk],
        "name": "型号",
        "name_en": "Model",
        "order": 3,
        "choices": ["A1", "B2"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"key": "1abc"}, {"key"}),
        ({"key": "Bad Key"}, {"key"}),
        ({"name": ""}, {"name"}),
        ({"module": "invoice"}, {"module"}),
        ({"field_type": "colour"}, {"field_type"}),
        ({"field_type": "picklist", "choices": []}, {"choices"}),
        ({"field_type": "multi_select", "choices": ["a", "a"]}, {"choices"}),
        ({"field_type": "picklist", "choices": ["x" * 101]}, {"choices"}),
        ({"field_type": "text", "choices": ["a"]}, {"choices"}),
        ({"order": 10_001}, {"order"}),
        ({"department_ids": [999]}, {"department_ids"}),
    ],
)
def test_definition_validation(admin, values, fields):
    with pytest.raises(ValidationFailed) as raised:
        create(admin, **values)
    assert set(raised.value.fields) == fields
    assert not CustomField.objects.exists()


@pytest.mark.django_db
def test_only_ticket_fields_have_departments(admin, department):
    with pytest.raises(ValidationFailed) as raised:
        create(admin, module="contact", department_ids=[department.pk])
    assert set(raised.value.fields) == {"department_ids"}


@pytest.mark.django_db
def test_keys_are_unique_per_module(admin):
    create(admin)
    with pytest.raises(Conflict):
        create(admin, key="ORDER_NO")
    assert create(admin, module="contact").module == "contact"


@pytest.mark.django_db
def test_update_changes_names_choices_departments_but_not_key_or_type(admin, department):
    field = create(admin, key="region", field_type="picklist", choices=["华东"])
    custom_field_update(
        actor=admin,
        source=WEB,
        field_id=field.pk,
        name="区域",
        name_en="Region",
        choices=["华东", "华南"],
        is_required=True,
        department_ids=[department.pk],
        order=2,
        is_active=False,
    )
    field.refresh_from_db()
    assert (field.key, field.field_type, field.choices, field.is_required, field.is_active) == (
        "region",
        "picklist",
        ["华东", "华南"],
        True,
        False,
    )
    assert AuditEntry.objects.get(action="custom_field.updated").changes == {
        "name": ["订单号", "区域"],
        "name_en": ["", "Region"],
        "order": [0, 2],
        "choices": [["华东"], ["华东", "华南"]],
        "is_required": [False, True],
        "is_active": [True, False],
        "department_ids": [[], [department.pk]],
    }
    with pytest.raises(ValidationFailed):
        custom_field_update(actor=admin, source=WEB, field_id=field.pk, name="区域", choices=[])
    with pytest.raises(NotFound):
        custom_field_update(actor=admin, source=WEB, field_id=999, name="x")


@pytest.mark.django_db
def test_agents_cannot_define_fields(agent):
    with pytest.raises(PermissionDenied):
        create(Actor.agent(agent.user))
    assert not CustomField.objects.exists()
