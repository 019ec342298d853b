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
