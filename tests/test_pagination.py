import base64
import json

import pytest

from kefu.core.pagination import BadCursor, paginate
from kefu.tickets.models import Ticket
from kefu.tickets.tests.factories import TicketFactory


@pytest.fixture
def tickets(db):
    from django.utils import timezone

    same_moment = timezone.now()
    return [TicketFactory(created_at=same_moment, updated_at=same_moment) for _ in range(7)]


@pytest.mark.parametrize("sort", ["-created_at", "created_at", "-number", "number"])
def test_walking_every_page_yields_each_row_once_even_with_equal_sort_values(tickets, sort):
    seen, cursor = [], None
    while True:
        page = paginate(Ticket.objects.all(), sort=sort, limit=3, cursor=cursor)
        seen += [ticket.pk for ticket in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(ticket.pk for ticket in tickets)
    assert len(seen) == len(set(seen))
    expected = sorted(tickets, key=lambda t: t.pk, reverse=sort.startswith("-"))
    assert seen == [ticket.pk for ticket in expected]


def test_an_exact_last_page_has_no_next_cursor(tickets):
    assert paginate(Ticket.objects.all(), sort="number", limit=7, cursor=None).next_cursor is None


def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        "",
        _cursor(["number", 3]),
        _cursor(["created_at", 3, 1]),
        _cursor(["-number", "not-a-date", 1]),
        _cursor(["-number", 3, "1"]),
        _cursor(["-number", True, 1]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_forged_or_foreign_cursors_are_bad_requests(tickets, cursor):
    if cursor == "":
        assert paginate(Ticket.objects.all(), sort="-number", limit=3, cursor=cursor).items
        return
    with pytest.raises(BadCursor) as excinfo:
        paginate(Ticket.objects.all(), sort="-number", limit=3, cursor=cursor)
    assert excinfo.value.status_code == 400
    assert list(excinfo.value.fields) == ["cursor"]
