"""Live updates: a Server-Sent Events stream of the tickets an agent can see that changed.

Each connection polls one indexed query (``updated_at``, id) every few seconds and ends after about a
minute, so that a web worker thread is never held for long; the browser's EventSource reconnects by
itself and sends ``Last-Event-ID``, from which the stream resumes without losing or repeating changes.
Works under gunicorn's gthread workers and the Django test client alike (a plain WSGI iterator).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from kefu.core.ids import parse_id
from kefu.org.decorators import agent_required
from kefu.tickets.selectors import ticket_changes_since

POLL_SECONDS = 2.0
DURATION_SECONDS = 60.0
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 2000
BATCH = 100


def _position(last_event_id: str) -> tuple[dt.datetime, int] | None:
    """``<iso time>~<ticket id>`` from a previous event, or ``None`` if absent or malformed."""
    stamp, _, pk = last_event_id.partition("~")
    try:
        moment = parse_datetime(stamp)
    except ValueError:
        return None
    ticket_id = parse_id(pk)
    if moment is None or timezone.is_naive(moment) or ticket_id is None:
        return None
    return moment, ticket_id


def _events(user: object, position: tuple[dt.datetime, int]) -> Iterator[str]:
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    deadline = time.monotonic() + DURATION_SECONDS
    last_beat = time.monotonic()
    while True:
        for row in ticket_changes_since(user, after=position[0], after_id=position[1], limit=BATCH):
            position = (row["updated_at"], row["pk"])
            data = {
                "id": row["pk"],
                "number": row["number"],
                "updated_at": row["updated_at"].isoformat(),
                "kind": "created" if row["created_at"] >= row["updated_at"] else "updated",
            }
            yield f"id: {position[0].isoformat()}~{position[1]}\nevent: ticket\ndata: {json.dumps(data)}\n\n"
        if time.monotonic() >= deadline:
            return
        if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            yield ": heartbeat\n\n"
        time.sleep(POLL_SECONDS)


@agent_required()
@require_GET
def ticket_stream(request: HttpRequest) -> StreamingHttpResponse:
    position = _position(request.headers.get("Last-Event-ID", "")) or (timezone.now(), 0)
    response = StreamingHttpResponse(_events(request.user, position), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
