import pytest

from kefu.core.errors import ValidationFailed
from kefu.customfields.validation import FieldSpec, clean_values

SPECS = [
    FieldSpec("order_no", "text"),
    FieldSpec("notes", "long_text"),
    FieldSpec("quantity", "number"),
    FieldSpec("amount", "decimal"),
    FieldSpec("purchased_on", "date"),
    FieldSpec("callback_at", "datetime"),
    FieldSpec("region", "picklist", choices=("华东", "华北")),
    FieldSpec("modules", "multi_select", choices=("打印", "扫描", "传真")),
    FieldSpec("vip", "checkbox"),
    FieldSpec("billing_email", "email"),
    FieldSpec("site", "url"),
    FieldSpec("hotline", "phone"),
]


def test_valid_values_are_stored_in_canonical_form():
    cleaned = clean_values(
        SPECS,
        {
            "order_no": "KF123",
            "notes": "长文本" * 100,
            "quantity": "3",
            "amount": 19.9,
            "purchased_on": "2026-11-01",
            "callback_at": "2026-11-22T09:30:00+08:00",
            "region": "华东",
            "modules": ["扫描", "打印", "扫描"],
            "vip": True,
            "billing_email": "ap@example.cn",
            "site": "https://example.cn",
            "hotline": "+86 21 5555-0101",
        },
    )
    assert cleaned["quantity"] == 3
    assert cleaned["amount"] == "19.9"
    assert cleaned["callback_at"] == "2026-11-22T01:30:00+00:00"
    assert cleaned["modules"] == ["扫描", "打印"]
    assert cleaned["vip"] is True


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("order_no", 5),
        ("order_no", "x" * 256),
        ("quantity", "3.5"),
        ("quantity", True),
        ("quantity", 10**20),
        ("amount", "NaN"),
        ("amount", "abc"),
        ("purchased_on", "2026-13-01"),
        ("callback_at", "2026-11-22T09:30:00"),
        ("region", "西南"),
        ("modules", "打印"),
        ("modules", ["打印", "复印"]),
        ("vip", "yes"),
        ("billing_email", "not-an-email"),
        ("site", "javascript:alert(1)"),
        ("hotline", "call me"),
    ],
)
def test_each_bad_value_is_named_with_its_reason(key, value):
    with pytest.raises(ValidationFailed) as excinfo:
        clean_values(SPECS, {key: value})
    assert list(excinfo.value.fields) == [f"custom_fields.{key}"]


def test_unknown_keys_and_missing_required_values_are_errors():
    specs = [FieldSpec("serial", "text", is_required=True)]
    with pytest.raises(ValidationFailed) as excinfo:
        clean_values(specs, {"colour": "red"})
    assert excinfo.value.fields == {
        "custom_fields.colour": "Unknown field.",
        "custom_fields.serial": "This field is required.",
    }


def test_a_partial_update_keeps_other_values_and_none_clears_one():
    existing = {"order_no": "KF1", "quantity": 2}
    assert clean_values(SPECS, {"quantity": None}, existing=existing) == {"order_no": "KF1"}


def test_values_of_fields_that_no_longer_apply_are_dropped():
    assert clean_values([FieldSpec("a", "text")], {}, existing={"a": "x", "gone": 1}) == {"a": "x"}


def test_an_impossible_date_gets_the_same_message_as_a_malformed_one():
    with pytest.raises(ValidationFailed) as excinfo:
        clean_values(SPECS, {"purchased_on": "2026-13-01"})
    assert excinfo.value.fields == {"custom_fields.purchased_on": "Enter a date as YYYY-MM-DD."}
