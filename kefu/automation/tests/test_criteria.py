"""The criteria engine: every operator, nesting, validation paths, and the predicate and the query agreeing.

Each case is evaluated twice on the same tickets — by ``matches`` (one ticket in Python) and by
``compile_q`` (the database) — and both must give exactly the expected tickets.
"""

from __future__ import annotations

from typing import Any

import pytest

from kefu.automation.criteria import NeedsChange, clean, compile_q, field_catalog, matches, validate
from kefu.automation.tests.conftest import NOW
from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.tickets.models import Priority, Ticket
from kefu.tickets.services.changes import FieldChange, RecordedChange

pytestmark = pytest.mark.django_db

ALL = {"T1", "T2", "T3", "T4"}


def c(field: str, op: str, value: Any = None) -> dict[str, Any]:
    condition = {"field": field, "op": op}
    if value is not None:
        condition["value"] = value
    return {"all": [condition]}


CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    # text
    ("subject is (any case)", c("subject", "is", "printer OFFLINE"), {"T2"}),
    ("subject is_not", c("subject", "is_not", "Printer offline"), ALL - {"T2"}),
    ("subject contains a Chinese word", c("subject", "contains", "发热"), {"T1", "T4"}),
    ("subject contains every word, segmented", c("subject", "contains", "手机发热"), {"T1", "T4"}),
    ("subject contains an English word", c("subject", "contains", "PRINTER"), {"T2"}),
    ("subject not_contains", c("subject", "not_contains", "发热"), {"T2", "T3"}),
    ("subject starts_with", c("subject", "starts_with", "手机"), {"T1", "T3"}),
    ("subject in", c("subject", "in", ["printer offline", "手机发热严重"]), {"T1", "T2"}),
    ("subject not_in", c("subject", "not_in", ["printer offline", "手机发热严重"]), {"T3", "T4"}),
    ("category is_empty", c("category", "is_empty"), {"T2", "T3", "T4"}),
    ("category is_not_empty", c("category", "is_not_empty"), {"T1"}),
    ("description contains", c("description", "contains", "屏幕"), {"T3"}),
    ("last message contains", c("last_message", "contains", "已经处理"), {"T3"}),
    ("last message not_contains", c("last_message", "not_contains", "已经处理"), ALL - {"T3"}),
    # references and codes, by name or id
    ("priority is, by name", c("priority", "is", "高"), {"T1"}),
    ("priority is, by English name", c("priority", "is", "High"), {"T1"}),
    ("priority is_not", c("priority", "is_not", "高"), ALL - {"T1"}),
    ("priority in", c("priority", "in", ["高", "低"]), {"T1", "T2"}),
    ("priority not_in", c("priority", "not_in", ["高", "低"]), {"T3", "T4"}),
    ("team is, by name", c("team_id", "is", "换货组"), {"T2"}),
    ("team is_not (an empty team is not it)", c("team_id", "is_not", "换货组"), {"T1", "T3", "T4"}),
    ("team is_empty", c("team_id", "is_empty"), {"T1", "T3", "T4"}),
    ("team is_not_empty", c("team_id", "is_not_empty"), {"T2"}),
    ("assignee is, by email", c("assignee_id", "is", "zhang.wei@kefu.test"), {"T2"}),
    ("channel is", c("channel", "is", "email"), {"T1"}),
    ("channel in", c("channel", "in", ["web", "api"]), {"T2", "T3"}),
    ("channel not_in", c("channel", "not_in", ["web", "api"]), {"T1", "T4"}),
    ("status type is closed", c("status_type", "is", "closed"), {"T4"}),
    ("status is_not, by name", c("status", "is_not", "已关闭"), {"T1", "T2", "T3"}),
    # tags (case-insensitive)
    ("tags contains", c("tags", "contains", "vip"), {"T1", "T4"}),
    ("tags not_contains", c("tags", "not_contains", "VIP"), {"T2", "T3"}),
    ("tags in", c("tags", "in", ["屏幕", "发热"]), {"T1", "T3"}),
    ("tags not_in", c("tags", "not_in", ["屏幕", "发热"]), {"T2", "T4"}),
    ("tags is_empty", c("tags", "is_empty"), {"T2"}),
    ("tags is_not_empty", c("tags", "is_not_empty"), {"T1", "T3", "T4"}),
    # numbers and times
    ("thread count is", c("thread_count", "is", 1), {"T1", "T2", "T4"}),
    ("thread count is_not", c("thread_count", "is_not", 1), {"T3"}),
    ("thread count gt", c("thread_count", "gt", 1), {"T3"}),
    ("thread count lt", c("thread_count", "lt", 2), {"T1", "T2", "T4"}),
    ("thread count between", c("thread_count", "between", [2, 5]), {"T3"}),
    ("hours since created gt", c("hours_since_created", "gt", 24), {"T1"}),
    ("hours since created lt", c("hours_since_created", "lt", 6), {"T3", "T4"}),
    ("hours since created between", c("hours_since_created", "between", [4, 11]), {"T2", "T3"}),
    ("hours since updated lt", c("hours_since_updated", "lt", 3), {"T3", "T4"}),
    ("hours since agent reply is_empty", c("hours_since_agent_reply", "is_empty"), {"T1", "T2", "T4"}),
    ("hours since agent reply is_not_empty", c("hours_since_agent_reply", "is_not_empty"), {"T3"}),
    ("hours since agent reply lt", c("hours_since_agent_reply", "lt", 3), {"T3"}),
    ("hours since agent reply gt (never replied: no)", c("hours_since_agent_reply", "gt", 1), {"T3"}),
    ("hours since customer message gt", c("hours_since_customer_message", "gt", 7), {"T1", "T2"}),
    ("hours since closed is_empty", c("hours_since_closed", "is_empty"), {"T1", "T2", "T3"}),
    # moments: a date is a whole day in the active zone (Asia/Shanghai here), an instant is itself
    ("created on or after a day", c("created_at", "on_or_after", "2026-11-20"), {"T2", "T3", "T4"}),
    ("created on or before a day (all of it)", c("created_at", "on_or_before", "2026-11-19"), {"T1"}),
    ("created after a day (from the next one)", c("created_at", "gt", "2026-11-18"), {"T2", "T3", "T4"}),
    ("created before an instant", c("created_at", "lt", "2026-11-20T07:00:00+00:00"), {"T1", "T2"}),
    (
        "created on or before an instant",
        c("created_at", "on_or_before", "2026-11-20T07:00:00+00:00"),
        {"T1", "T2", "T3"},
    ),
    (
        "created between a day and an instant",
        c("created_at", "between", ["2026-11-20", "2026-11-20T08:00:00+00:00"]),
        {"T2", "T3"},
    ),
    (
        "updated on or after an instant",
        c("updated_at", "on_or_after", "2026-11-20T10:00:00+00:00"),
        {"T3", "T4"},
    ),
    # the list's search box: a ticket number
    ("search finds nothing for a number no ticket has", c("search", "contains", "#99999999"), set()),
    # contact and account
    ("contact name is", c("contact.name", "is", "李雷"), {"T2"}),
    ("contact email contains", c("contact.email", "contains", "wang.fang"), {"T1", "T3", "T4"}),
    ("account name contains", c("account.name", "contains", "华为"), {"T1"}),
    (
        "account name is_not (no account is not it)",
        c("account.name", "is_not", "上海华为"),
        {"T2", "T3", "T4"},
    ),
    ("account name is_empty", c("account.name", "is_empty"), {"T2", "T3", "T4"}),
    ("account industry is", c("account.industry", "is", "电子"), {"T1"}),
    # custom fields
    ("custom text is (any case)", c("custom_fields.model", "is", "x1"), {"T1"}),
    ("custom text is_not", c("custom_fields.model", "is_not", "X1"), {"T2", "T3", "T4"}),
    ("custom text contains", c("custom_fields.model", "contains", "x"), {"T1"}),
    ("custom text is_empty", c("custom_fields.model", "is_empty"), {"T2", "T3", "T4"}),
    ("custom number gt", c("custom_fields.count", "gt", 5), {"T2"}),
    ("custom number lt", c("custom_fields.count", "lt", 5), {"T1"}),
    ("custom number between", c("custom_fields.count", "between", [3, 10]), {"T1", "T2"}),
    ("custom number is_not", c("custom_fields.count", "is_not", 3), {"T2", "T3", "T4"}),
    ("custom number is_empty", c("custom_fields.count", "is_empty"), {"T3", "T4"}),
    ("custom checkbox is true", c("custom_fields.urgent", "is", True), {"T1"}),
    ("custom checkbox is false", c("custom_fields.urgent", "is", False), {"T2", "T3", "T4"}),
    ("custom multi-select contains", c("custom_fields.parts", "contains", "电池"), {"T1", "T4"}),
    ("custom multi-select not_contains", c("custom_fields.parts", "not_contains", "电池"), {"T2", "T3"}),
    ("custom multi-select in", c("custom_fields.parts", "in", ["屏幕"]), {"T1"}),
    ("custom multi-select is_empty", c("custom_fields.parts", "is_empty"), {"T2", "T3"}),
    ("custom date gt", c("custom_fields.bought", "gt", "2026-01-01"), {"T1"}),
    ("custom date between", c("custom_fields.bought", "between", ["2025-01-01", "2025-12-31"]), {"T2"}),
    ("custom date is_empty", c("custom_fields.bought", "is_empty"), {"T3", "T4"}),
    # groups
    ("empty all matches everything", {"all": []}, ALL),
    ("empty any matches nothing", {"any": []}, set()),
    (
        "all with a nested any",
        {
            "all": [
                {"field": "subject", "op": "contains", "value": "手机"},
                {
                    "any": [
                        {"field": "priority", "op": "is", "value": "高"},
                        {"field": "tags", "op": "contains", "value": "屏幕"},
                    ]
                },
            ]
        },
        {"T1", "T3"},
    ),
    (
        "any of two all groups",
        {
            "any": [
                {
                    "all": [
                        {"field": "channel", "op": "is", "value": "email"},
                        {"field": "priority", "op": "is", "value": "高"},
                    ]
                },
                {"all": [{"field": "team_id", "op": "is_not_empty"}]},
            ]
        },
        {"T1", "T2"},
    ),
    (
        "three levels deep",
        {
            "all": [
                {"any": [{"all": [{"field": "tags", "op": "contains", "value": "vip"}]}]},
                {"field": "status_type", "op": "is", "value": "open"},
            ]
        },
        {"T1"},
    ),
]


@pytest.mark.parametrize(
    ("criteria", "expected"), [(case[1], case[2]) for case in CASES], ids=[case[0] for case in CASES]
)
def test_predicate_and_query_agree(world, criteria, expected):
    cleaned, errors = clean(criteria)
    assert errors == {}
    tickets = Ticket.objects.filter(pk__in=world.ids).select_related("status", "contact", "account")
    by_python = {world.name_of(ticket.pk) for ticket in tickets if matches(ticket, cleaned, now=NOW)}
    found = (
        Ticket.objects.filter(pk__in=world.ids)
        .filter(compile_q(cleaned, now=NOW))
        .values_list("pk", flat=True)
    )
    by_query = {world.name_of(pk) for pk in found}
    assert by_python == expected
    assert by_query == expected


def test_every_operator_is_covered():
    used = {condition["op"] for _name, criteria, _expected in CASES for condition in _conditions(criteria)}
    assert used == {
        "is",
        "is_not",
        "contains",
        "not_contains",
        "starts_with",
        "in",
        "not_in",
        "gt",
        "lt",
        "between",
        "is_empty",
        "is_not_empty",
        "on_or_after",
        "on_or_before",
    }  # fmt: skip  (changed, changed_from, changed_to: tested with a change below)


def _conditions(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for items in node.values():
        for item in items:
            found.extend([item] if "field" in item else _conditions(item))
    return found


def test_names_are_stored_as_ids(world):
    high = Priority.objects.get(name="高")
    cleaned, errors = clean({"all": [{"field": "priority", "op": "in", "value": ["高", "High", high.pk]}]})
    assert errors == {}
    assert cleaned == {"all": [{"field": "priority", "op": "in", "value": [high.pk]}]}


def _change(ticket: Ticket, *changes: FieldChange) -> RecordedChange:
    return RecordedChange(
        ticket=ticket,
        event_type=EventType.TICKET_UPDATED,
        actor=Actor.system(),
        source=Source.API,
        at=NOW,
        change_set="c1",
        caused_by=None,
        changes=list(changes),
    )


def test_changed_operators_read_the_change(world):
    ticket = world.tickets["T1"]
    low, high = Priority.objects.get(name="低"), Priority.objects.get(name="高")
    change = _change(
        ticket,
        FieldChange("priority", {"id": low.pk, "name": "低"}, {"id": high.pk, "name": "高"}),
        FieldChange("custom_fields", {"model": "X0"}, {"model": "X1"}),
    )

    def check(criteria: dict[str, Any], given: RecordedChange | None = change) -> bool:
        cleaned, errors = clean(criteria)
        assert errors == {}
        return matches(ticket, cleaned, given, now=NOW)

    assert check(c("priority", "changed")) is True
    assert check(c("priority", "changed_from", "低")) is True
    assert check(c("priority", "changed_from", "高")) is False
    assert check(c("priority", "changed_to", "High")) is True
    assert check(c("priority", "changed_to", "低")) is False
    assert check(c("subject", "changed")) is False
    assert check(c("custom_fields.model", "changed_to", "x1")) is True
    assert check(c("custom_fields.model", "changed_from", "X1")) is False
    # Without a change the question has no answer: false, or true in a dry run ("if it happened").
    assert check(c("priority", "changed"), None) is False
    cleaned = clean(c("priority", "changed"))[0]
    assert matches(ticket, cleaned, None, now=NOW, assume_changes=True) is True


def test_status_type_changed_to_reads_the_type_at_the_time(world):
    ticket = world.tickets["T4"]
    change = _change(
        ticket,
        FieldChange(
            "status", {"id": 1, "name": "新建", "type": "open"}, {"id": 4, "name": "已关闭", "type": "closed"}
        ),
    )
    cleaned = clean(c("status_type", "changed_to", "closed"))[0]
    assert matches(ticket, cleaned, change, now=NOW) is True


def test_a_query_cannot_answer_a_change_condition():
    cleaned = clean(c("subject", "changed"))[0]
    with pytest.raises(NeedsChange):
        compile_q(cleaned)
    assert str(Ticket.objects.filter(compile_q(cleaned, assume_changes=True)).query) == str(
        Ticket.objects.all().query
    )


BAD: list[tuple[str, Any, dict[str, str]]] = [
    ("not a group", [], {"criteria": 'Give a group: {"all": [conditions]} or {"any": [conditions]}.'}),
    (
        "two keys",
        {"all": [], "any": []},
        {"criteria": 'Give a group: {"all": [conditions]} or {"any": [conditions]}.'},
    ),
    (
        "unknown field, third condition",
        {
            "all": [
                c("subject", "is", "a")["all"][0],
                c("subject", "is", "b")["all"][0],
                {"field": "colour", "op": "is", "value": 1},
            ]
        },
        {"criteria.all[2].field": "Unknown field."},
    ),
    (
        "operator the field does not take",
        {"all": [{"field": "tags", "op": "starts_with", "value": "a"}]},
        {
            "criteria.all[0].op": "Choose one of: contains, not_contains, in, not_in, is_empty, "
            "is_not_empty, changed."
        },
    ),
    (
        "bad value in a nested group",
        {"all": [{"any": [{"field": "priority", "op": "is", "value": "火急"}]}]},
        {"criteria.all[0].any[0].value": "Unknown value 火急."},
    ),
    (
        "between needs two ordered values",
        {"any": [{"field": "thread_count", "op": "between", "value": [5, 2]}]},
        {"criteria.any[0].value": "The first value must not be greater than the second."},
    ),
    (
        "a list operator needs a list",
        {"all": [{"field": "channel", "op": "in", "value": "email"}]},
        {"criteria.all[0].value": "Give a list of values."},
    ),
    (
        "hours are not negative",
        {"all": [{"field": "hours_since_created", "op": "gt", "value": -1}]},
        {"criteria.all[0].value": "Enter a number of hours of 0 or more."},
    ),
    (
        "a number is not text",
        {"all": [{"field": "thread_count", "op": "gt", "value": "many"}]},
        {"criteria.all[0].value": "Enter a number."},
    ),
    (
        "no value for is_empty",
        {"all": [{"field": "team_id", "op": "is_empty", "value": 3}]},
        {"criteria.all[0].value": "This operator takes no value."},
    ),
    (
        "unknown key in a condition",
        {"all": [{"field": "subject", "op": "is", "value": "a", "colour": "red"}]},
        {"criteria.all[0].colour": "Unknown key."},
    ),
    (
        "every problem at once",
        {
            "all": [
                {"field": "subject", "op": "gt", "value": 1},
                {"field": "priority", "op": "is", "value": None},
            ]
        },
        {
            "criteria.all[0].op": "Choose one of: is, is_not, contains, not_contains, starts_with, in, "
            "not_in, is_empty, is_not_empty, changed, changed_from, changed_to.",
            "criteria.all[1].value": "Choose a value.",
        },
    ),
]


@pytest.mark.parametrize(
    ("criteria", "errors"), [(case[1], case[2]) for case in BAD], ids=[case[0] for case in BAD]
)
def test_validation_names_the_bad_part(criteria, errors):
    assert validate(criteria) == errors


def test_time_rules_refuse_change_conditions():
    assert validate(c("priority", "changed"), allow_changes=False) == {
        "criteria.all[0].op": "Choose one of: is, is_not, in, not_in, is_empty, is_not_empty."
    }


def test_nesting_depth_is_limited():
    node: dict[str, Any] = {"all": [{"field": "subject", "op": "is_empty"}]}
    for _level in range(5):
        node = {"all": [node]}
    assert validate(node) == {
        "criteria.all[0].all[0].all[0].all[0].all[0]": "Groups can be nested at most 5 deep."
    }


def test_catalog_lists_fields_with_operators_and_choices(world):
    catalog = field_catalog()
    by_key = {entry["key"]: entry for entry in catalog["fields"]}
    priority = by_key["priority"]
    assert priority["labels"] == {"zh-hans": "优先级", "en": "Priority"}
    assert priority["label"] == "Priority"
    assert priority["type"] == "reference"
    assert priority["operators"] == [
        "is",
        "is_not",
        "in",
        "not_in",
        "is_empty",
        "is_not_empty",
        "changed",
        "changed_from",
        "changed_to",
    ]
    assert [choice["label"] for choice in priority["choices"]] == ["Urgent", "High", "Medium", "Low"]
    assert by_key["custom_fields.parts"]["choices"] == [
        {"value": "屏幕", "label": "屏幕"},
        {"value": "电池", "label": "电池"},
    ]
    assert by_key["custom_fields.parts"]["label"] == "Parts"
    assert by_key["hours_since_created"]["operators"] == ["gt", "lt", "between", "is_empty", "is_not_empty"]
    assert {op["key"]: op["value"] for op in catalog["operators"]}["between"] == "range"
