"""The data migration that turned saved views' filter dicts into criteria: nothing a view showed is lost.

The migration keeps a frozen copy of the filter bar's translation; for every kind of filter it must give
the criteria the filter bar gives today (``listing.filters_criteria``), which the list tests hold to the
old behaviour, and the reverse must give the filters back.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from kefu.customfields.models import CustomField
from kefu.customfields.tests.factories import CustomFieldFactory, PicklistOptionFactory
from kefu.org.tests.factories import TeamFactory
from kefu.tickets.listing import filters_criteria
from kefu.tickets.models import Priority, Status, TicketType

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kefu.tickets.migrations.0011_saved_view_criteria")


def test_every_filter_converts_to_the_criteria_the_filter_bar_uses(department):
    team = TeamFactory(department=department, name="换货组")
    colour = CustomFieldFactory(key="colour", name="颜色", name_en="Colour")
    PicklistOptionFactory(field=colour, value="红")
    parts = CustomFieldFactory(key="parts", field_type=CustomField.FieldType.MULTI_SELECT, name="部件")
    PicklistOptionFactory(field=parts, value="电池")
    closed = Status.objects.get(name="已关闭")
    problem = TicketType.objects.get(name="问题")
    high = Priority.objects.get(name="高")
    filters = {
        "status": str(closed.pk),
        "status_type": "open",
        "priority": str(high.pk),
        "type": str(problem.pk),
        "assignee_id": "me",
        "channel": "email",
        "tag": "VIP",
        "q": "打印机",
        "department_id": str(department.pk),
        "team_id": str(team.pk),
        "created_after": "2026-11-01",
        "created_before": "2026-11-30",
        "updated_before": "2026-11-20T08:00:00+08:00",
        "cf.colour": "红",
        "cf.parts": "电池",
    }
    converted = migration.filters_to_criteria(apps, {**filters, "base": "open", "due": "overdue"})
    assert sorted(converted["all"], key=repr) == sorted(filters_criteria(filters)["all"], key=repr)
    assert migration.criteria_to_filters(converted) == filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"priority": "高", "type": "none"}, "names"),
        ({"assignee_id": "none", "status": "Closed"}, "names"),
        ({"status": "早已删除"}, [{"field": "status", "op": "is", "value": "早已删除"}]),
        ({"base": "mine", "due": "today", "q": " "}, []),
    ],
)
def test_names_become_ids_and_what_nothing_answers_to_stays_as_written(filters, expected):
    converted = migration.filters_to_criteria(apps, filters)["all"]
    if expected == "names":
        assert sorted(converted, key=repr) == sorted(filters_criteria(filters)["all"], key=repr)
    else:
        assert converted == expected
