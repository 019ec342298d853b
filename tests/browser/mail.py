"""A real SMTP server (aiosmtpd) for browser tests that follow an email: it keeps what it accepts and
lets a test wait for a message without sleeping (a condition variable, woken by each delivery)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class SmtpSink:
    """An aiosmtpd handler that keeps every message it accepts."""

    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802  (aiosmtpd's hook)
        with self.arrived:
            self.messages.append(Received(list(envelope.rcpt_tos), envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, matches: Callable[[Received], bool], timeout: float = 15) -> Received:
        """The first message ``matches`` accepts, waiting for it to arrive if need be."""

        def found() -> Received | None:
            return next((message for message in self.messages if matches(message)), None)

        with self.arrived:
            assert self.arrived.wait_for(lambda: found() is not None, timeout=timeout), (
                f"no such email arrived; got {[m.message['Subject'] for m in self.messages]}"
            )
            result = found()
        assert result is not None
        return result


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
