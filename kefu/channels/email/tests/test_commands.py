"""``kefu mail …``: the MTA pipe stores every message it can and says so with its exit status."""

from __future__ import annotations

import io
import sys

import pytest

from kefu.channels.email.commands import EX_DATAERR, main
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def stdin(monkeypatch):
    def feed(raw: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))

    return feed


def test_ingest_stores_and_imports_one_message(mailbox, stdin, capsys, django_capture_on_commit_callbacks):
    stdin(raw_mail())
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["ingest", "--mailbox", "SUPPORT@kefu.test"]) == 0
    inbound = InboundMessage.objects.get()
    assert (inbound.source, inbound.mailbox, inbound.state) == ("pipe", mailbox, "imported")
    assert capsys.readouterr().out == f"{inbound.pk} imported\n"
    assert Ticket.objects.count() == 1


def test_ingest_exits_0_for_a_message_it_stored_but_quarantined(mailbox, stdin, capsys):
    stdin(b"\x00\x01 not a mail")
    assert main(["ingest", "--mailbox", "support@kefu.test"]) == 0
    inbound = InboundMessage.objects.get()
    assert inbound.state == "quarantined"
    assert capsys.readouterr().out == f"{inbound.pk} quarantined\n"


def test_ingest_keeps_mail_for_an_unknown_mailbox_and_lets_the_recipients_decide(mailbox, stdin, capsys):
    stdin(raw_mail())
    assert main(["ingest", "--mailbox", "typo@kefu.test"]) == 0
    inbound = InboundMessage.objects.get()
    assert inbound.mailbox == mailbox  # the one the recipients named
    assert inbound.state == "imported"
    assert capsys.readouterr().err == "kefu mail ingest: no mailbox typo@kefu.test; storing without one\n"


def test_ingest_refuses_a_message_over_the_limit_so_the_mta_bounces_it(mailbox, stdin, settings, capsys):
    settings.KEFU_MAIL_MAX_MESSAGE_BYTES = 10
    stdin(raw_mail())
    assert main(["ingest"]) == EX_DATAERR
    assert InboundMessage.objects.count() == 0
    assert capsys.readouterr().err == "kefu mail ingest: The message is larger than 10 bytes.\n"


def test_poll_reports_how_many_messages_it_stored(mailbox, capsys):
    assert main(["poll", "--mailbox", "support@kefu.test"]) == 0
    assert capsys.readouterr().out == "Imported 0 messages.\n"


def test_an_unknown_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["deliver"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'deliver'" in capsys.readouterr().err
