"""The ticket list page: views, filters, sorting, paging, markers, layout and a fixed query count."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kefu.core.actors import Actor, Source
from kefu.org.tests.factories import TeamFactory, UserFactory
from kefu.tickets.listing import COLUMNS, moment
from kefu.tickets.models import Priority, Status
from kefu.tickets.services import ticket_mark_read, ticket_tag
from kefu.tickets.tests.factories import SavedViewFactory, TicketFactory

LIST = reverse("tickets:list")
PARTIAL = {"HX-Request": "true", "HX-Target": "ticket-list-results"}
pytestmark = pytest.mark.django_db


def _numbers(response) -> list[int]:
    """Ticket ids of the rows, in the order shown."""
    return [int(value) for value in re.findall(r'<tr data-ticket-id="(\d+)"', response.content.decode())]


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


def _ticket(department, **values):
    return TicketFactory(department=department, **values)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_who_is_not_an_agent_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("tickets:view-counts")).status_code == 403


def test_my_open_view_is_the_default(signed_in, agent, other_agent, department):
    mine = _ticket(department, assignee=agent.user)
    _ticket(department)  # unassigned
    _ticket(department, assignee=agent.user, status=Status.objects.get(name="已关闭"))
    response = signed_in.get(LIST)
    assert response.status_code == 200
    assert _numbers(response) == [mine.pk]
    body = response.content.decode()
    assert '<h1 class="page-title me-auto">My open</h1>' in body
    assert '<main class="page-wrapper" id="main"' in body
    assert 'href="#main"' in body


def test_sidebar_counts_every_system_view(signed_in, agent, department, other_department):
    closed = Status.objects.get(name="已关闭")
    past = timezone.now() - dt.timedelta(days=2)
    end_of_today = moment(zoneinfo.ZoneInfo(agent.time_zone)).today_end - dt.timedelta(minutes=1)
    _ticket(department, assignee=agent.user)
    _ticket(department, resolution_due_at=past)
    _ticket(department, first_response_due_at=end_of_today)
    _ticket(department, status=closed)
    _ticket(department, is_spam=True)
    _ticket(other_department)  # never counted: another department
    _ticket(department, deleted_at=timezone.now())  # only in the trash
    followed = _ticket(department, status=closed)
    followed.followers.add(agent.user)
    page = signed_in.get(LIST).content.decode()
    assert 'data-testid="view-count-' not in page
    assert f'hx-get="{reverse("tickets:view-counts")}?view=mine"' in page
    body = signed_in.get(reverse("tickets:view-counts"), {"view": "open"}).content.decode()
    assert '<a class="list-group-item list-group-item-action d-flex align-items-center active"' in body
    counts = dict(re.findall(r'data-testid="view-count-(\w+)">([^<]*)<', body))
    assert counts == {
        "mine": "1",
        "unassigned": "2",
        "overdue": "1",
        "due_today": "1",
        "open": "3",
        "closed": "2",
        "following": "1",
        "spam": "1",
        "trash": "1",
    }


def test_another_departments_tickets_are_never_listed(signed_in, department, other_department):
    own = _ticket(department)
    _ticket(other_department)
    assert _numbers(signed_in.get(LIST, {"view": "open"})) == [own.pk]
    assert _numbers(signed_in.get(LIST, {"view": "open", "department_id": other_department.pk})) == []


def test_spam_shows_only_in_the_spam_view(signed_in, department):
    ham = _ticket(department)
    spam = _ticket(department, is_spam=True)
    assert _numbers(signed_in.get(LIST, {"view": "open"})) == [ham.pk]
    assert _numbers(signed_in.get(LIST, {"view": "spam"})) == [spam.pk]


def test_htmx_request_for_the_results_gets_only_the_partial(signed_in, agent, department):
    ticket = _ticket(department, assignee=agent.user)
    response = signed_in.get(LIST, headers=PARTIAL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-testid="ticket-table"' in body
    assert _numbers(response) == [ticket.pk]
    assert {"HX-Request", "HX-Target"} <= {value.strip() for value in response["Vary"].split(",")}


def test_history_restore_gets_the_whole_page(signed_in):
    response = signed_in.get(LIST, headers={**PARTIAL, "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "nope"}, "Status: Unknown status."),
        ({"priority": "nope"}, "Priority: Unknown priority."),
        ({"assignee_id": "bob"}, "Assignee: Use an id, me or none."),
        ({"department_id": "abc"}, "Department: Choose a value from the list."),
        ({"created_after": "yesterday"}, "Created from: Enter a date as YYYY-MM-DD."),
        ({"due": "soon"}, "Due: Choose one of: overdue, today."),
        ({"channel": "pigeon"}, "Channel: Choose one of: email, web, portal"),
        ({"sort": "subject"}, "Sort: Choose one of: -created_at"),
        ({"cursor": "garbage"}, "Page: Not a valid cursor."),
        ({"view": "everything"}, "View: Unknown view. Showing “My open”."),
        ({"q": "x" * 501}, "Search: Enter at most 500 characters."),
    ],
)
def test_bad_filter_values_show_an_error_not_a_500(signed_in, agent, department, params, message):
    _ticket(department, assignee=agent.user)
    response = signed_in.get(LIST, params)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="list-errors"' in body
    assert message in body


def test_unknown_or_foreign_saved_view_is_404(signed_in, other_agent):
    private = SavedViewFactory(owner=other_agent.user, name="杨磊的视图")
    assert signed_in.get(LIST, {"saved": private.pk}).status_code == 404
    assert signed_in.get(LIST, {"saved": "x"}).status_code == 404
    assert signed_in.get(LIST, {"saved": "9" * 30}).status_code == 404
    assert signed_in.get(LIST, {"saved": "²"}).status_code == 404


def test_filters_combine_with_the_view(signed_in, agent, department):
    team = TeamFactory(department=department)
    high = Priority.objects.get(name="高")
    match = _ticket(department, team=team, priority=high, assignee=agent.user)
    _ticket(department, team=team, assignee=agent.user)
    _ticket(department, priority=high, assignee=agent.user)
    ticket_tag(actor=Actor.system(), source=Source.IMPORT, ticket=match, add=["VIP"])
    params = {"view": "open", "team_id": team.pk, "priority": high.pk, "assignee_id": "me", "tag": "vip"}
    assert _numbers(signed_in.get(LIST, params)) == [match.pk]


def test_due_filter_and_overdue_view_use_open_tickets_past_their_due_time(signed_in, department):
    now = timezone.now()
    late = _ticket(department, resolution_due_at=now - dt.timedelta(minutes=5))
    _ticket(department, resolution_due_at=now + dt.timedelta(days=3))
    _ticket(
        department, resolution_due_at=now - dt.timedelta(days=1), status=Status.objects.get(name="已关闭")
    )
    unanswered = _ticket(department, first_response_due_at=now - dt.timedelta(minutes=1))
    _ticket(department, first_response_due_at=now - dt.timedelta(minutes=1), first_responded_at=now)
    expected = sorted([late.pk, unanswered.pk], reverse=True)
    assert _numbers(signed_in.get(LIST, {"view": "overdue"})) == expected
    assert _numbers(signed_in.get(LIST, {"view": "open", "due": "overdue"})) == expected


def test_date_filters_read_whole_days_in_the_agents_time_zone(signed_in, department):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    inside = _ticket(department, created_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=shanghai))
    _ticket(department, created_at=dt.datetime(2026, 3, 3, 0, 30, tzinfo=shanghai))
    _ticket(department, created_at=dt.datetime(2026, 3, 1, 23, 59, tzinfo=shanghai))
    params = {"view": "open", "created_after": "2026-03-02", "created_before": "2026-03-02"}
    assert _numbers(signed_in.get(LIST, params)) == [inside.pk]


def test_sorting_by_a_column_and_cursor_paging(signed_in, department):
    start = timezone.now() - dt.timedelta(days=1)
    tickets = [_ticket(department, created_at=start + dt.timedelta(minutes=i)) for i in range(30)]
    first = signed_in.get(LIST, {"view": "open", "sort": "number"})
    assert _numbers(first) == [ticket.pk for ticket in tickets[:25]]
    body = first.content.decode()
    next_url = re.search(r'href="(\?[^"]*cursor=[^"]+)" hx-get', body).group(1).replace("&amp;", "&")
    second = signed_in.get(LIST + next_url, headers=PARTIAL)
    assert _numbers(second) == [ticket.pk for ticket in tickets[25:]]
    assert "Next page" not in second.content.decode()
    assert "First page" in second.content.decode()
    assert 'aria-sort="ascending"' in body


def test_new_and_updated_markers_compare_the_read_marker_with_updated_at(signed_in, agent, department):
    never_seen = _ticket(department, assignee=agent.user)
    seen = _ticket(department, assignee=agent.user)
    changed_since = _ticket(department, assignee=agent.user)
    actor = Actor.agent(agent.user)
    ticket_mark_read(actor=actor, source=Source.WEB, ticket=seen)
    ticket_mark_read(actor=actor, source=Source.WEB, ticket=changed_since)
    changed_since.updated_at = timezone.now() + dt.timedelta(minutes=1)
    changed_since.save(update_fields=["updated_at"])
    body = signed_in.get(LIST).content.decode()
    rows = dict(re.findall(r'<tr data-ticket-id="(\d+)" data-department-id="\d+" class="([^"]*)"', body))
    assert rows == {str(never_seen.pk): "kefu-unread", str(seen.pk): "", str(changed_since.pk): "kefu-unread"}
    assert body.count('data-testid="marker-new"') == 1
    assert body.count('data-testid="marker-updated"') == 1


def test_priority_colour_is_shown(signed_in, agent, department):
    _ticket(department, assignee=agent.user, priority=Priority.objects.get(name="中"))
    assert 'style="--kefu-priority: #4299e1"' in signed_in.get(LIST).content.decode()


def test_light_agent_gets_no_assign_controls(client, light_agent, department):
    client.force_login(light_agent.user)
    body = client.get(LIST).content.decode()
    assert 'id="bulk-assignee"' not in body


def _list_queries(client, params, headers=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("headers", [None, PARTIAL], ids=["page", "partial"])
def test_query_count_does_not_grow_with_the_number_of_rows(signed_in, agent, department, headers):
    team = TeamFactory(department=department)
    every_column = SavedViewFactory(owner=agent.user, name="All", columns=list(COLUMNS))

    def make(count: int) -> None:
        for _ in range(count):
            ticket = _ticket(department, assignee=agent.user, team=team)
            ticket_tag(actor=Actor.system(), source=Source.IMPORT, ticket=ticket, add=["a", "b"])

    make(3)
    signed_in.get(LIST)  # the first request stores the agent's time zone in the session
    few = _list_queries(signed_in, {"saved": every_column.pk}, headers)
    make(27)
    many = _list_queries(signed_in, {"saved": every_column.pk}, headers)
    assert few == many
    assert _list_queries(signed_in, {"view": "mine"}, headers) <= many


def test_the_counts_take_a_fixed_number_of_queries(signed_in, agent, department):
    TicketFactory.create_batch(3, department=department, assignee=agent.user)
    signed_in.get(LIST)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("tickets:view-counts"))
    TicketFactory.create_batch(27, department=department, assignee=agent.user)
    with CaptureQueriesContext(connection) as many:
        signed_in.get(reverse("tickets:view-counts"))
    assert len(few) == len(many)


def test_layout_navigation_depends_on_the_agents_rights(client, agent, admin_agent):
    client.force_login(agent.user)
    body = client.get(LIST).content.decode()
    assert f'href="{reverse("contacts:list")}"' in body
    assert f'action="{reverse("search:results")}"' in body
    assert 'for="global-search"' in body
    assert f'href="{reverse("settings")}"' not in body
    assert f'data-kefu-stream="{reverse("tickets:stream")}"' in body
    client.force_login(admin_agent.user)
    assert f'href="{reverse("settings")}"' in client.get(LIST).content.decode()


def test_login_page_renders_without_navigation(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="navbar"' not in body
    assert "data-kefu-stream" not in body
