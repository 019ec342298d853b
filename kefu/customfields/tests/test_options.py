"""Pick-list values: per department, dependent on a parent field, coloured, ordered, retired."""

from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.models import AuditEntry
from kefu.customfields.models import PicklistOption
from kefu.customfields.selectors import field_specs, option_looks
from kefu.customfields.services import (
    custom_field_create,
    custom_field_update,
    option_create,
    option_update,
    options_reorder,
)
from kefu.customfields.validation import clean_values

WEB = Source.WEB


def spec_of(key, department):
    return next(spec for spec in field_specs("ticket", department_id=department.pk) if spec.key == key)


def test_each_department_is_offered_its_own_values(sub_category, books, electronics):
    assert spec_of("sub_category", books).choices == ("其他", "小说", "教辅")
    assert spec_of("sub_category", electronics).choices == ("其他", "手机", "耳机")
    sub_category.refresh_from_db()
    assert sub_category.choices == ["其他", "小说", "教辅", "手机", "耳机"]


def test_a_value_of_another_department_is_refused_naming_the_field(sub_category, books, electronics):
    with pytest.raises(ValidationFailed) as raised:
        clean_values([spec_of("sub_category", electronics)], {"sub_category": "小说"})
    assert list(raised.value.fields) == ["custom_fields.sub_category"]
    assert clean_values([spec_of("sub_category", books)], {"sub_category": "小说"}) == {
        "sub_category": "小说"
    }
    # A record that moves to a department where its value is not offered is refused too.
    with pytest.raises(ValidationFailed) as raised:
        clean_values([spec_of("sub_category", electronics)], {}, existing={"sub_category": "小说"})
    assert raised.value.fields == {"custom_fields.sub_category": "Not offered here: 小说."}


def test_create_sets_labels_colour_and_goes_last_and_is_audited(admin, sub_category, books):
    option = option_create(
        actor=admin, source=WEB, field_id=sub_category.pk, value="漫画", label="漫画书", label_en="Comics",
        colour="#FF0000", department_ids=[books.pk],
    )  # fmt: skip
    assert (option.label, option.label_en, option.colour, option.order, option.retired) == (
        "漫画书", "Comics", "#ff0000", 5, False,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(action="custom_field.option_added").last()
    assert entry.changes == {
        "value": "漫画", "label": "漫画书", "label_en": "Comics", "colour": "#ff0000",
        "department_ids": [books.pk], "parent_values": [], "order": 5, "retired": False,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"value": ""}, {"value"}),
        ({"value": "x" * 101}, {"value"}),
        ({"colour": "red"}, {"colour"}),
        ({"department_ids": [999_999]}, {"department_ids"}),
        ({"parent_values": ["图书"]}, {"parent_values"}),
        ({"order": -1}, {"order"}),
        ({"value": "", "colour": "#12"}, {"value", "colour"}),
    ],
)
def test_option_validation_names_every_bad_field(admin, sub_category, values, fields):
    before = PicklistOption.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        option_create(actor=admin, source=WEB, field_id=sub_category.pk, **{"value": "新", **values})
    assert set(raised.value.fields) == fields
    assert PicklistOption.objects.count() == before


def test_a_value_is_unique_per_field_and_permanent(admin, sub_category):
    with pytest.raises(Conflict):
        option_create(actor=admin, source=WEB, field_id=sub_category.pk, value="小说")
    option = PicklistOption.objects.get(field=sub_category, value="小说")
    with pytest.raises(ValidationFailed) as raised:
        option_update(
            actor=admin, source=WEB, field_id=sub_category.pk, option_id=option.pk, changes={"value": "长篇"}
        )
    assert set(raised.value.fields) == {"value"}


def test_text_fields_have_no_options(admin, department):
    field = custom_field_create(
        actor=admin, source=WEB, module="ticket", key="note", field_type="text", name="备注"
    )
    with pytest.raises(NotFound):
        option_create(actor=admin, source=WEB, field_id=field.pk, value="x")


def test_retiring_stops_offering_but_records_keep_the_value(admin, sub_category, books):
    option = PicklistOption.objects.get(field=sub_category, value="小说")
    option_update(
        actor=admin, source=WEB, field_id=sub_category.pk, option_id=option.pk, changes={"retired": True}
    )
    spec = spec_of("sub_category", books)
    assert (spec.choices, spec.retired) == (("其他", "教辅"), ("小说",))
    # Saving a record that holds it again keeps it; choosing it anew is refused.
    assert clean_values([spec], {"sub_category": "小说"}, existing={"sub_category": "小说"}) == {
        "sub_category": "小说"
    }
    with pytest.raises(ValidationFailed):
        clean_values([spec], {"sub_category": "小说"}, existing={"sub_category": "教辅"})
    # It is still shown with its label.
    assert option_looks("ticket")[("sub_category", "小说")].retired is True
    assert AuditEntry.objects.filter(action="custom_field.option_changed").last().changes == {
        "value": "小说",
        "retired": [False, True],
    }


def test_reorder_takes_every_value_once(admin, sub_category, books):
    ids = list(
        PicklistOption.objects.filter(field=sub_category).order_by("order").values_list("id", flat=True)
    )
    with pytest.raises(ValidationFailed) as raised:
        options_reorder(actor=admin, source=WEB, field_id=sub_category.pk, option_ids=ids[:-1])
    assert set(raised.value.fields) == {"option_ids"}
    options_reorder(actor=admin, source=WEB, field_id=sub_category.pk, option_ids=list(reversed(ids)))
    assert spec_of("sub_category", books).choices == ("教辅", "小说", "其他")


def test_dependent_pick_list_offers_values_by_the_parent_value(admin, department):
    category = custom_field_create(
        actor=admin, source=WEB, module="ticket", key="category_cf", field_type="picklist", name="类别",
        choices=["图书", "电子产品"],
    )  # fmt: skip
    child = custom_field_create(
        actor=admin, source=WEB, module="ticket", key="sub_cf", field_type="picklist", name="子类别",
        choices=["小说", "手机"], parent_id=category.pk,
    )  # fmt: skip
    for value, parent in (("小说", "图书"), ("手机", "电子产品")):
        option = PicklistOption.objects.get(field=child, value=value)
        option_update(
            actor=admin,
            source=WEB,
            field_id=child.pk,
            option_id=option.pk,
            changes={"parent_values": [parent]},
        )
    specs = field_specs("ticket", department_id=department.pk)
    assert clean_values(specs, {"category_cf": "图书", "sub_cf": "小说"}) == {
        "category_cf": "图书",
        "sub_cf": "小说",
    }
    with pytest.raises(ValidationFailed) as raised:
        clean_values(specs, {"category_cf": "图书", "sub_cf": "手机"})
    assert raised.value.fields == {"custom_fields.sub_cf": "Not a choice for category_cf = 图书."}
    # Changing the parent alone makes the kept child value wrong: named too.
    with pytest.raises(ValidationFailed) as raised:
        clean_values(specs, {"category_cf": "电子产品"}, existing={"category_cf": "图书", "sub_cf": "小说"})
    assert set(raised.value.fields) == {"custom_fields.sub_cf"}
    # No loops: the parent cannot depend on its child.
    with pytest.raises(ValidationFailed) as raised:
        custom_field_update(actor=admin, source=WEB, field_id=category.pk, name="类别", parent_id=child.pk)
    assert set(raised.value.fields) == {"parent_id"}


def test_the_settings_form_list_adds_retires_and_orders(admin, sub_category, books):
    custom_field_update(
        actor=admin, source=WEB, field_id=sub_category.pk, name="子类别", choices=["教辅", "其他", "新品"]
    )
    rows = {o.value: (o.order, o.retired) for o in PicklistOption.objects.filter(field=sub_category)}
    assert (rows["教辅"], rows["其他"], rows["新品"]) == ((0, False), (1, False), (2, False))
    assert rows["小说"][1] is True
    assert spec_of("sub_category", books).choices == ("教辅", "其他", "新品")


def test_agents_cannot_edit_values(agent, sub_category):
    actor = Actor.agent(agent.user)
    with pytest.raises(PermissionDenied):
        option_create(actor=actor, source=WEB, field_id=sub_category.pk, value="x")
    assert not PicklistOption.objects.filter(value="x").exists()
