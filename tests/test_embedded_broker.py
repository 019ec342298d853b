"""The embedded broker (kefu/broker.py): atomic publish and claim over kombu's file-system layout."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Connection, Exchange, Queue

from kefu.broker import Channel, Transport


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    # kombu keeps the bindings of file-system transports in one process-wide state: a queue name per
    # test, so that no test finds its queue bound already (in another test's folder).
    global QUEUE
    name = f"jobs{uuid.uuid4().hex}"
    QUEUE = Queue(name, Exchange(name), routing_key=name)
    paths = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for path in paths.values():
        path.mkdir()
    return paths


def connect(folders: dict[str, Path]) -> Connection:
    return Connection(
        "kefu-filesystem://",
        transport_options={
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
            "polling_interval": 0.01,
        },
    )


def publish(connection: Connection, *bodies: dict[str, int]) -> None:
    producer = connection.Producer()
    for body in bodies:
        producer.publish(
            body, exchange=QUEUE.exchange, routing_key=QUEUE.routing_key, declare=[QUEUE], serializer="json"
        )


def test_messages_arrive_in_order_and_leave_nothing_behind(folders):
    with connect(folders) as connection:
        publish(connection, *({"n": n} for n in range(5)))
        queue = QUEUE(connection.default_channel)
        received = []
        while (message := queue.get(no_ack=False)) is not None:
            received.append(message.payload["n"])
            message.ack()
    assert received == [0, 1, 2, 3, 4]
    assert os.listdir(folders["queue"]) == []
    assert os.listdir(folders["processed"]) == []


def test_a_message_still_being_written_is_not_taken(folders):
    with connect(folders) as connection:
        publish(connection, {"n": 1})
        (name,) = os.listdir(folders["queue"])
        path = folders["queue"] / name
        path.rename(path.with_name(name + ".part"))  # as it is while the publisher writes it
        assert QUEUE(connection.default_channel).get() is None


def test_an_incomplete_file_is_dropped_and_the_next_message_served(folders):
    with connect(folders) as connection:
        # What kombu's own publisher leaves for a moment (a crashed one for good): an empty file.
        (folders["queue"] / f"{0:020d}_torn.{QUEUE.name}.msg").write_bytes(b"")
        publish(connection, {"n": 2})
        message = QUEUE(connection.default_channel).get()
        assert message is not None
        message.ack()
    assert message.payload == {"n": 2}
    assert os.listdir(folders["queue"]) == []


def test_each_message_goes_to_one_consumer_only(folders):
    with connect(folders) as first, connect(folders) as second:
        publish(first, *({"n": n} for n in range(6)))
        queues = [QUEUE(first.default_channel), QUEUE(second.default_channel)]
        received = []
        for turn in range(20):
            message = queues[turn % 2].get()
            if message is not None:
                received.append(message.payload["n"])
    assert sorted(received) == [0, 1, 2, 3, 4, 5]


def test_a_listing_is_used_up_before_the_folder_is_listed_again(folders, monkeypatch):
    listings = []
    original = Channel._list

    def counting(self, queue):
        listings.append(queue)
        return original(self, queue)

    monkeypatch.setattr(Channel, "_list", counting)
    with connect(folders) as connection:
        publish(connection, *({"n": n} for n in range(10)))
        queue = QUEUE(connection.default_channel)
        listings.clear()
        for _ in range(10):
            assert queue.get() is not None
    assert len(listings) == 1


def test_the_embedded_default_uses_this_transport_and_polls_often():
    if not settings.EMBEDDED_BROKER:
        pytest.skip("a server broker is configured")
    assert settings.CELERY_BROKER_URL == "kefu-filesystem://"
    assert Connection(settings.CELERY_BROKER_URL).transport_cls == "kefu-filesystem"
    assert isinstance(Connection(settings.CELERY_BROKER_URL).transport, Transport)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] <= 0.1
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER >= 8
    assert settings.CELERY_TASK_ACKS_LATE is True
