"""The relay: hands committed outbox events to their consumers, at least once, never twice per consumer.

Right after a commit the publishing process calls :func:`relay_soon`, which queues a relay job (shared by
the commits of a 0.2 s window, see :class:`RelayWindow`) that delivers every pending event; beat runs
:func:`outbox_deliver` for whatever is still pending a little later — events whose
relay task was lost with a crashed process or a broker outage, and events a consumer failed on, after a
growing pause. Several relays may run at once: each first **claims** its events with a conditional
UPDATE, so an event is in the hands of one relay at a time (``select_for_update`` would do nothing on
SQLite).

Per consumer, the handler and the receipts of the events it handled commit together: if the handler
fails, neither stays and the events come back later; if it succeeded, a redelivery skips them.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kefu.core.event_types import EventType
from kefu.core.events import Consumer, Event, consumers
from kefu.core.models import OutboxEvent, OutboxReceipt

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
CLAIM_FOR = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 12
# A fresh event is the business of the relay task its commit queued; beat takes over after this long.
LEFT_BEHIND_AFTER = dt.timedelta(seconds=10)
KEEP_DELIVERED = dt.timedelta(days=7)


class RelayWindow:
    """Commits of one process within a short window share one relay job.

    The first commit of a window queues a relay that runs when the window closes; the commits after it
    queue nothing, because that relay, running later, delivers their events too (it takes every pending
    event). At 50 changes a second that is a few relay jobs a second instead of fifty, for at most one
    window more latency.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._due = -math.inf

    def open(self) -> float | None:
        """The countdown of a relay to queue now, or ``None`` when the one already queued will do."""
        with self._lock:
            now = self.clock()
            if now < self._due:
                return None
            self._due = now + self.seconds
            return self.seconds

    def reopen(self) -> None:
        """The relay could not be queued: the next commit must try again."""
        with self._lock:
            self._due = -math.inf


relay_window = RelayWindow(seconds=0.2)


def relay_soon(ids: Sequence[int]) -> None:
    """Make sure a relay runs soon after this commit; if the broker cannot take it, beat delivers later."""
    from kefu.core.tasks import relay_outbox

    if relay_outbox.app.conf.task_always_eager:
        relay_outbox.apply(args=[list(ids)])  # tests and KEFU_TASKS_EAGER: at once, in this process
        return
    countdown = relay_window.open()
    if countdown is None:
        return
    try:
        relay_outbox.apply_async(args=[list(ids)], countdown=countdown)
    except Exception:
        relay_window.reopen()
        logger.exception("could not queue the relay of outbox events %s; beat will deliver them", ids[:10])


def retry_delay(attempts: int) -> dt.timedelta:
    """How long a failed event rests before the next try: 30 s, 1 min, 2 min … at most 1 hour."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claim(ids: Sequence[int] | None, *, older_than: dt.timedelta | None, limit: int) -> list[OutboxEvent]:
    now = timezone.now()
    claimable = Q(delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    pending = OutboxEvent.objects.filter(claimable)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    if older_than is not None:
        pending = pending.filter(created_at__lt=now - older_than)
    candidates = list(pending.order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    token = secrets.token_hex(8)
    OutboxEvent.objects.filter(claimable, pk__in=candidates).update(
        claim=token, claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1
    )
    return list(OutboxEvent.objects.filter(pk__in=candidates, claim=token).order_by("created_at", "id"))


def _as_event(row: OutboxEvent) -> Event | None:
    try:
        kind = EventType(row.event_type)
    except ValueError:
        return None
    return Event(id=row.pk, type=kind, payload=row.payload, created_at=row.created_at)


def _handle(consumer: Consumer, events: list[Event]) -> None:
    with transaction.atomic():
        consumer.handle(events)
        now = timezone.now()
        OutboxReceipt.objects.bulk_create(
            OutboxReceipt(event_id=event.id, consumer=consumer.name, created_at=now) for event in events
        )


def _deliver_to(consumer: Consumer, events: list[Event], failures: dict[int, str]) -> None:
    handled = set(
        OutboxReceipt.objects.filter(consumer=consumer.name, event_id__in=[e.id for e in events]).values_list(
            "event_id", flat=True
        )
    )
    todo = [event for event in events if event.id not in handled]
    if not todo:
        return
    try:
        _handle(consumer, todo)
        return
    except Exception:
        if len(todo) == 1:
            logger.exception("consumer %s failed on outbox event %s", consumer.name, todo[0].id)
            failures[todo[0].id] = f"{consumer.name}: failed"
            return
    # One bad event must not hold back the batch: try them one by one.
    for event in todo:
        try:
            _handle(consumer, [event])
        except Exception as exc:
            logger.exception("consumer %s failed on outbox event %s", consumer.name, event.id)
            failures[event.id] = f"{consumer.name}: {type(exc).__name__}: {exc}"[:2000]


def outbox_deliver(
    ids: Sequence[int] | None = None, *, older_than: dt.timedelta | None = None, limit: int = BATCH_SIZE
) -> int:
    """Deliver pending events (``ids``, or any old enough) to their consumers; return how many finished."""
    rows = _claim(ids, older_than=older_than, limit=limit)
    if not rows:
        return 0
    events = [event for event in map(_as_event, rows) if event is not None]
    failures: dict[int, str] = {}
    for consumer in consumers():
        mine = [event for event in events if event.type in consumer.types]
        if mine:
            _deliver_to(consumer, mine, failures)
    now = timezone.now()
    delivered = [row.pk for row in rows if row.pk not in failures]
    OutboxEvent.objects.filter(pk__in=delivered).update(delivered_at=now, claimed_until=None, last_error="")
    for row in rows:
        if row.pk in failures:
            OutboxEvent.objects.filter(pk=row.pk).update(
                claimed_until=now + retry_delay(row.attempts), last_error=failures[row.pk]
            )
    return len(delivered)


def outbox_deliver_pending(*, older_than: dt.timedelta | None = None) -> int:
    """Deliver whatever is pending (and at least ``older_than`` old), batch after batch; return how many
    events finished."""
    total = 0
    while True:
        count = outbox_deliver(older_than=older_than)
        total += count
        if count < BATCH_SIZE:
            return total


def outbox_deliver_left_behind() -> int:
    """What beat runs: every event that its own relay did not deliver."""
    return outbox_deliver_pending(older_than=LEFT_BEHIND_AFTER)


def outbox_purge(*, now: dt.datetime | None = None) -> int:
    """Forget events delivered more than a week ago (their receipts go with them)."""
    cutoff = (now or timezone.now()) - KEEP_DELIVERED
    deleted, _by_model = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return deleted
