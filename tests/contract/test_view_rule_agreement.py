"""What a saved view shows is what a rule with the same conditions matches.

For each criteria definition (ticket fields, custom fields, tags, ``contact.*``, dates, full-text search,
nested ``any``/``all``, the viewer's ``"me"``), a saved view is created through the service, listed
through the console's own selector (``ticket_list_page``), and compared with the rule predicate
(``automation.criteria.matches``) over the same tickets, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kefu.automation.criteria import clean, matches
from kefu.core.actors import Actor, Source
from kefu.customfields.models import CustomField
from kefu.customfields.tests.factories import CustomFieldFactory, PicklistOptionFactory
from kefu.tickets.criteria import for_viewer
from kefu.tickets.inputs import ContactRef
from kefu.tickets.listing import filters_criteria, list_state, moment, ticket_list_page
from kefu.tickets.models import Ticket
from kefu.tickets.services import saved_view_create, ticket_set_status

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def world(create_ticket, agent, django_capture_on_commit_callbacks) -> dict[str, Ticket]:
    sub_category = CustomFieldFactory(key="sub_category", name="子类", name_en="Sub-category")
    PicklistOptionFactory(field=sub_category, value="屏幕问题")
    PicklistOptionFactory(field=sub_category, value="电池问题")
    parts = CustomFieldFactory(
        key="parts", field_type=CustomField.FieldType.MULTI_SELECT, name="部件", name_en="Parts"
    )
    PicklistOptionFactory(field=parts, value="屏幕")
    PicklistOptionFactory(field=parts, value="电池")
    wang = ContactRef(email="wang.fang@example.cn", name="王芳")
    li = ContactRef(email="li.lei@example.cn", name="李雷")
    with django_capture_on_commit_callbacks(execute=True):  # the search index is filled after commit
        tickets = {
            "A": create_ticket(
                subject="手机发热严重",
                priority="高",
                channel="email",
                tags=["VIP", "发热"],
                assignee_id=agent.user.pk,
                contact=wang,
                custom_fields={"sub_category": "电池问题", "parts": ["电池"]},
                created_at=NOW - dt.timedelta(hours=48),
            ),
            "B": create_ticket(
                subject="Printer offline",
                description="The printer is offline again.",
                priority="低",
                channel="web",
                contact=li,
                created_at=NOW - dt.timedelta(hours=10),
            ),
            "C": create_ticket(
                subject="手机 屏幕 破裂",
                channel="api",
                tags=["屏幕"],
                assignee_id=agent.user.pk,
                contact=wang,
                custom_fields={"sub_category": "屏幕问题", "parts": ["屏幕", "电池"]},
                created_at=NOW - dt.timedelta(hours=5),
            ),
            "D": create_ticket(
                subject="我的手机一用就发热",
                channel="portal",
                tags=["vip"],
                contact=li,
                custom_fields={"parts": ["电池"]},
                created_at=NOW - dt.timedelta(hours=1),
            ),
            "E": create_ticket(
                subject="申请退款",
                description="订单已经取消",
                priority="高",
                channel="email",
                contact=ContactRef(email="zhao.min@corp.example", name="赵敏"),
                created_at=NOW - dt.timedelta(hours=30),
            ),
        }
        ticket_set_status(actor=Actor.system(), source=Source.IMPORT, ticket=tickets["D"], status="已关闭")
    return tickets


def _c(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op} if value is None else {"field": field, "op": op, "value": value}


def _day(hours_ago: int) -> str:
    """The calendar day (in the active zone) of the moment ``hours_ago`` hours before ``NOW``."""
    return timezone.localdate(NOW - dt.timedelta(hours=hours_ago)).isoformat()


DEFINITIONS: list[tuple[str, Any, set[str]]] = [
    (
        "priority and a tag (any case)",
        {"all": [_c("priority", "is", "高"), _c("tags", "contains", "vip")]},
        {"A"},
    ),
    (
        "a pick list or the contact's email",
        {
            "any": [
                _c("custom_fields.sub_category", "is", "屏幕问题"),
                _c("contact.email", "contains", "zhao"),
            ]
        },
        {"C", "E"},
    ),
    (
        "nested: open, mine or nobody's, and a tag or a multi-select value",
        {
            "all": [
                _c("status_type", "is_not", "closed"),
                {"any": [_c("assignee_id", "is", "me"), _c("assignee_id", "is_empty")]},
                {"any": [_c("tags", "in", ["VIP", "屏幕"]), _c("custom_fields.parts", "contains", "电池")]},
            ]
        },
        {"A", "C"},
    ),
    (
        "the contact's name and a list of channels",
        {"all": [_c("contact.name", "is", "李雷"), _c("channel", "in", ["web", "portal"])]},
        {"B", "D"},
    ),
    (
        "created on or after a day, and words searched (Chinese segmented)",
        lambda: {"all": [_c("created_at", "on_or_after", _day(5)), _c("search", "contains", "手机")]},
        {"C", "D"},
    ),
    (
        "a multi-select without a value, created before an instant",
        lambda: {
            "all": [
                _c("custom_fields.parts", "not_contains", "屏幕"),
                _c("created_at", "lt", (NOW - dt.timedelta(hours=6)).isoformat()),
            ]
        },
        {"A", "B", "E"},
    ),
    (
        "a ticket number or a priority, or words of the description",
        lambda world: {
            "any": [
                _c("search", "contains", f"#{world['E'].number}"),
                _c("priority", "is", "低"),
                _c("search", "contains", "订单"),
            ]
        },
        {"B", "E"},
    ),
    (
        "deeper nesting with not_in and is_not",
        {
            "any": [
                {
                    "all": [
                        _c("channel", "not_in", ["email", "web"]),
                        {"any": [_c("tags", "is_empty"), _c("priority", "is_not", "中")]},
                    ]
                },
                _c("contact.email", "starts_with", "LI.LEI"),
            ]
        },
        {"B", "D"},
    ),
]


def _definition(raw: Any, world: dict[str, Ticket]) -> dict[str, Any]:
    if callable(raw):
        return raw(world) if raw.__code__.co_argcount else raw()
    return raw


@pytest.mark.parametrize(
    ("raw", "expected"), [(d[1], d[2]) for d in DEFINITIONS], ids=[d[0] for d in DEFINITIONS]
)
def test_a_saved_view_lists_exactly_what_the_rule_predicate_accepts(world, agent, raw, expected):
    definition = _definition(raw, world)
    view = saved_view_create(
        actor=Actor.agent(agent.user), source=Source.WEB, name="一致性", criteria=definition
    )
    tz = timezone.get_current_timezone()
    result = ticket_list_page(
        agent.user, view_key=None, state=list_state({}, saved=view), tz=tz, when=moment(tz), limit=100
    )
    assert result.errors == {}
    names = {ticket.pk: name for name, ticket in world.items()}
    listed = {names[ticket.pk] for ticket in result.page.items}

    # The rule's side: the definition cleaned as a rule cleans it ("me" is the agent a rule would name).
    rule_criteria, errors = clean(for_viewer(definition, agent.user.pk))
    assert errors == {}
    tickets = Ticket.objects.filter(pk__in=names).select_related("status", "contact", "account")
    accepted = {names[ticket.pk] for ticket in tickets if matches(ticket, rule_criteria)}

    assert listed == accepted
    assert listed == expected


def test_the_filter_bar_lists_what_its_criteria_match(world, agent):
    filters = {"priority": "高", "tag": "VIP", "assignee_id": "me", "created_after": _day(48)}
    tz = timezone.get_current_timezone()
    result = ticket_list_page(
        agent.user, view_key=None, state=list_state(filters), tz=tz, when=moment(tz), limit=100
    )
    names = {ticket.pk: name for name, ticket in world.items()}
    criteria, errors = clean(for_viewer(filters_criteria(filters), agent.user.pk))
    assert errors == {}
    tickets = Ticket.objects.filter(pk__in=names).select_related("status", "contact", "account")
    accepted = {names[ticket.pk] for ticket in tickets if matches(ticket, criteria)}
    assert {names[ticket.pk] for ticket in result.page.items} == accepted == {"A"}
