"""The outbox: events commit with the change, reach every consumer once, survive failures and crashes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from kefu.core import events, outbox
from kefu.core.event_types import EventType
from kefu.core.models import OutboxEvent, OutboxReceipt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KIND = EventType.CONTACT_MERGED


@pytest.fixture
def consumer():
    """Register consumers under test names; each records the payloads it handled, in calls.

    The apps' own consumers are set aside meanwhile: these tests are about the relay, and whichever app
    listens to ``KIND`` (webhooks listen to every contact, task and ticket event) would add its receipts.
    """
    apps_consumers = events.consumers()
    for existing in apps_consumers:
        events.unregister_consumer(existing.name)
    registered: list[str] = []

    def register(name: str, *, fail_on: set[int] = frozenset()) -> list[list[dict]]:
        calls: list[list[dict]] = []

        def handle(batch: list[events.Event]) -> None:
            if any(event.payload.get("n") in fail_on for event in batch):
                raise ConnectionError(f"{name} cannot reach its service")
            calls.append([dict(event.payload) for event in batch])

        events.register_consumer(name, [KIND], handle)
        registered.append(name)
        return calls

    yield register
    for name in registered:
        events.unregister_consumer(name)
    for existing in apps_consumers:
        events.register_consumer(existing.name, existing.types, existing.handle)


def handled(calls: list[list[dict]]) -> list[int]:
    return [payload["n"] for batch in calls for payload in batch]


def test_the_event_is_written_with_the_change_and_delivered_after_commit(consumer):
    calls = consumer("test.one")
    with transaction.atomic():
        events.publish(KIND, n=1)
        assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 1
        assert calls == []
    assert handled(calls) == [1]
    row = OutboxEvent.objects.get()
    assert row.delivered_at is not None
    assert list(OutboxReceipt.objects.values_list("consumer", flat=True)) == ["test.one"]


def test_a_rolled_back_change_leaves_no_event(consumer):
    calls = consumer("test.one")

    def publish_then_fail() -> None:
        with transaction.atomic():
            events.publish(KIND, n=1)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert OutboxEvent.objects.count() == 0
    events.publish(KIND, n=2)
    assert handled(calls) == [2]


def test_the_events_of_one_transaction_reach_a_consumer_in_one_batch(consumer):
    calls = consumer("test.one")
    with transaction.atomic():
        for n in range(3):
            events.publish(KIND, n=n)
    assert calls == [[{"n": 0}, {"n": 1}, {"n": 2}]]


def test_a_failing_consumer_holds_back_only_its_own_events_and_gets_them_again(consumer, caplog):
    good = consumer("test.good")
    flaky = consumer("test.flaky", fail_on={2})
    with transaction.atomic():
        events.publish(KIND, n=1)
        events.publish(KIND, n=2)
    assert handled(good) == [1, 2]
    assert handled(flaky) == [1]  # the batch failed, then each event was tried alone
    pending = OutboxEvent.objects.get(delivered_at__isnull=True)
    assert pending.payload == {"n": 2}
    assert "test.flaky" in pending.last_error
    assert "cannot reach" in caplog.text
    assert pending.claimed_until > timezone.now()  # resting before the next try

    assert outbox.outbox_deliver_left_behind() == 0  # still resting
    events.unregister_consumer("test.flaky")
    repaired = consumer("test.flaky")
    OutboxEvent.objects.filter(pk=pending.pk).update(
        claimed_until=None, created_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert outbox.outbox_deliver_left_behind() == 1
    assert handled(repaired) == [2]
    assert handled(good) == [1, 2]  # not twice


def test_a_redelivered_event_is_handled_once_per_consumer(consumer):
    calls = consumer("test.one")
    events.publish(KIND, n=1)
    OutboxEvent.objects.update(delivered_at=None, created_at=timezone.now() - dt.timedelta(minutes=1))
    assert outbox.outbox_deliver_left_behind() == 1
    assert handled(calls) == [1]
    assert OutboxReceipt.objects.count() == 1


def test_an_event_claimed_by_one_relay_is_not_delivered_by_another(consumer):
    calls = consumer("test.one")
    row = OutboxEvent.objects.create(event_type=KIND.value, payload={"n": 7}, created_at=timezone.now())
    OutboxEvent.objects.filter(pk=row.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=1))
    assert outbox.outbox_deliver([row.pk]) == 0
    OutboxEvent.objects.filter(pk=row.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert outbox.outbox_deliver([row.pk]) == 1
    assert handled(calls) == [7]


def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt(consumer):
    consumer("test.broken", fail_on={1})
    events.publish(KIND, n=1)
    OutboxEvent.objects.update(attempts=outbox.MAX_ATTEMPTS, claimed_until=None)
    assert outbox.outbox_deliver(older_than=dt.timedelta(0)) == 0
    assert OutboxEvent.objects.get().attempts == outbox.MAX_ATTEMPTS


def test_suppressed_blocks_publish_nothing(consumer):
    calls = consumer("test.one")
    with events.suppressed():
        events.publish(KIND, n=3)
    events.publish(KIND, n=4)
    assert handled(calls) == [4]
    assert OutboxEvent.objects.count() == 1


def test_delivered_events_are_purged_after_a_week(consumer):
    consumer("test.one")
    events.publish(KIND, n=1)
    events.publish(KIND, n=2)
    old = OutboxEvent.objects.order_by("id").first()
    OutboxEvent.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - dt.timedelta(days=8))
    assert outbox.outbox_purge() >= 1
    assert list(OutboxEvent.objects.values_list("payload", flat=True)) == [{"n": 2}]


def test_registering_a_name_again_replaces_the_consumer(consumer):
    first = consumer("test.same")
    events.unregister_consumer("test.same")
    second = consumer("test.same")
    events.publish(KIND, n=1)
    assert (handled(first), handled(second)) == ([], [1])


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_commits_of_one_window_share_one_relay():
    clock = FakeClock()
    window = outbox.RelayWindow(seconds=0.2, clock=clock)
    assert window.open() == 0.2  # the first commit queues a relay that runs when the window closes
    clock.now += 0.1
    assert window.open() is None  # that relay will take this commit's events too
    clock.now += 0.15
    assert window.open() == 0.2  # the window closed: the next commit queues the next relay


def test_a_relay_that_could_not_be_queued_lets_the_next_commit_try():
    window = outbox.RelayWindow(seconds=0.2, clock=FakeClock())
    assert window.open() == 0.2
    window.reopen()
    assert window.open() == 0.2
