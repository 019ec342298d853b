from collections import defaultdict

import pytest
from django.db import transaction

from kefu.core import events


@pytest.fixture
def received(monkeypatch):
    seen: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        events, "_subscribers", {"thing.happened": [lambda event, payload: seen.append((event, payload))]}
    )
    return seen


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_subscribers_run_only_after_commit(received):
    with transaction.atomic():
        events.publish("thing.happened", thing_id=1)
        assert received == []
    assert received == [("thing.happened", {"thing_id": 1})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_delivered_when_the_transaction_rolls_back(received):
    def publish_then_fail() -> None:
        with transaction.atomic():
            events.publish("thing.happened", thing_id=1)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert received == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_subscriber_does_not_stop_the_others(received, caplog):
    def broken(event, payload):
        raise ConnectionError("broker down")

    events._subscribers["thing.happened"].insert(0, broken)
    events.publish("thing.happened", thing_id=2)
    assert received == [("thing.happened", {"thing_id": 2})]
    assert "broker down" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suppressed_blocks_publish_nothing(received):
    with events.suppressed():
        events.publish("thing.happened", thing_id=3)
    events.publish("thing.happened", thing_id=4)
    assert received == [("thing.happened", {"thing_id": 4})]


def test_subscribing_twice_registers_once(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))

    def handler(event, payload):
        return None

    events.subscribe("x", handler)
    events.subscribe("x", handler)
    assert events.subscribers("x") == [handler]


@pytest.fixture
def coalesced(monkeypatch):
    """One subscriber that sees every event and one coalesced per ``thing_id``, both recording calls."""
    every: list[tuple[str, dict]] = []
    once: list[tuple[str, dict]] = []

    def record_every(event, payload):
        every.append((event, payload))

    def record_once(event, payload):
        once.append((event, payload))

    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    monkeypatch.setattr(events, "_coalesce", {})
    for name in ("thing.created", "thing.changed"):
        events.subscribe(name, record_every)
        events.subscribe(name, record_once, coalesce=lambda payload: payload["thing_id"])
    return every, once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_coalesced_subscriber_runs_once_per_key_and_transaction(coalesced):
    every, once = coalesced
    with transaction.atomic():
        events.publish("thing.created", thing_id=1)
        events.publish("thing.changed", thing_id=1)
        events.publish("thing.changed", thing_id=2)
    assert every == [
        ("thing.created", {"thing_id": 1}),
        ("thing.changed", {"thing_id": 1}),
        ("thing.changed", {"thing_id": 2}),
    ]
    assert once == [("thing.created", {"thing_id": 1}), ("thing.changed", {"thing_id": 2})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_transaction_delivers_a_coalesced_key_again(coalesced):
    _every, once = coalesced
    with transaction.atomic():
        events.publish("thing.created", thing_id=1)
    with transaction.atomic():
        events.publish("thing.changed", thing_id=1)
    events.publish("thing.changed", thing_id=1)
    assert once == [
        ("thing.created", {"thing_id": 1}),
        ("thing.changed", {"thing_id": 1}),
        ("thing.changed", {"thing_id": 1}),
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_savepoint_neither_delivers_nor_uses_up_the_key(coalesced):
    every, once = coalesced
    with transaction.atomic():
        try:
            with transaction.atomic():
                events.publish("thing.created", thing_id=1)
                raise RuntimeError
        except RuntimeError:
            pass
        events.publish("thing.changed", thing_id=1)
    assert every == [("thing.changed", {"thing_id": 1})]
    assert once == [("thing.changed", {"thing_id": 1})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_coalesced_delivery_is_tried_again_with_the_next_event(coalesced, caplog):
    calls: list[str] = []

    def flaky(event, payload):
        calls.append(event)
        if len(calls) == 1:
            raise ConnectionError("broker down")

    events.subscribe("thing.created", flaky, coalesce=lambda payload: payload["thing_id"])
    events.subscribe("thing.changed", flaky, coalesce=lambda payload: payload["thing_id"])
    with transaction.atomic():
        events.publish("thing.created", thing_id=1)
        events.publish("thing.changed", thing_id=1)
        events.publish("thing.changed", thing_id=1)
    assert calls == ["thing.created", "thing.changed"]
    assert "broker down" in caplog.text
