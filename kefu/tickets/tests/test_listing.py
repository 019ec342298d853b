"""System views, their counts, and the list state parsed from the URL."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.errors import ValidationFailed
from kefu.org.selectors import agent_access
from kefu.tickets.listing import (
    COUNT_CAP,
    DEFAULT_COLUMNS,
    ViewEntry,
    list_state,
    moment,
    system_view_counts,
    validate_filters,
)
from kefu.tickets.models import Status
from kefu.tickets.tests.factories import SavedViewFactory, TicketFactory

pytestmark = pytest.mark.django_db
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def test_today_is_the_agents_own_day():
    now = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 22:00 on 1 March in Los Angeles
    when = moment(LOS_ANGELES, now)
    assert when.today_start == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert when.today_end == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    assert when.closed_status_ids == (Status.objects.get(name="已关闭").pk,)


def test_due_today_in_the_agents_zone(agent, department):
    now = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    TicketFactory(department=department, resolution_due_at=dt.datetime(2026, 3, 2, 7, 59, tzinfo=dt.UTC))
    TicketFactory(department=department, resolution_due_at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    counts = system_view_counts(agent.user, moment(LOS_ANGELES, now))
    assert (counts["due_today"], counts["overdue"]) == (1, 0)


def test_all_counts_take_one_query(agent, department):
    TicketFactory.create_batch(3, department=department, assignee=agent.user)
    agent_access(agent.user)  # computed once per request, before the counts
    when = moment(dt.UTC)
    with CaptureQueriesContext(connection) as queries:
        counts = system_view_counts(agent.user, when)
    assert len(queries) == 1
    assert counts["mine"] == 3


@pytest.mark.parametrize(
    ("count", "label"), [(None, ""), (0, "0"), (COUNT_CAP, "999"), (COUNT_CAP + 1, "999+")]
)
def test_count_labels_are_capped(count, label):
    assert ViewEntry("open", "All open", count).count_label == label


def test_url_parameters_narrow_a_saved_views_conditions(agent):
    criteria = {"all": [{"field": "tags", "op": "contains", "value": "VIP"}]}
    saved = SavedViewFactory(
        owner=agent.user,
        criteria=criteria,
        base="open",
        due="overdue",
        columns=["subject", "number"],
        sort="number",
    )
    state = list_state({"due": "", "channel": "email", "sort": "-number"}, saved=saved)
    assert state.filters == {"base": "open", "channel": "email"}
    assert state.criteria == criteria
    assert (state.sort, state.columns, state.errors) == ("-number", ("number", "subject"), {})
    assert list_state({}).columns == DEFAULT_COLUMNS


def test_validate_filters_names_each_bad_value(agent):
    with pytest.raises(ValidationFailed) as raised:
        validate_filters(
            {"status": "nope", "team_id": "-1", "updated_before": "2026-02-30", "tag": "x" * 65},
            user=agent.user,
        )
    assert raised.value.fields == {
        "team_id": "Choose a value from the list.",
        "updated_before": "Enter a date as YYYY-MM-DD.",
        "tag": "Enter at most 64 characters.",
    }
    with pytest.raises(ValidationFailed) as raised:
        validate_filters({"status": "nope"}, user=agent.user)
    assert raised.value.fields == {"status": "Unknown status."}
    assert validate_filters({"status": "已关闭", "q": " 打印机 "}, user=agent.user) == {
        "status": "已关闭",
        "q": "打印机",
    }
