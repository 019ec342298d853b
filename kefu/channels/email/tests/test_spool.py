"""The mail spool: ``kefu mail ingest --spool`` keeps a message without Django; beat imports it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kefu.channels.email.intake.spool import STALE_CLAIM_SECONDS, spool_import
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.spool import CLAIMED, NEW, spool_read, spool_root, spool_write
from kefu.channels.email.tests.mails import raw_mail
from kefu.tickets.models import Ticket

KEFU = [sys.executable, "-m", "kefu.cli"]


def _ingest(raw: bytes, data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "KEFU_DATA_DIR": str(data_dir), **env}
    return subprocess.run(
        [*KEFU, "mail", "ingest", "--spool", *args],
        input=raw,
        env=environment,
        capture_output=True,
        check=False,
    )


def test_the_spool_command_keeps_the_message_without_django(tmp_path):
    raw = raw_mail(message_id="<spooled@example.cn>")
    done = _ingest(raw, tmp_path, "--mailbox", "support@kefu.test", DJANGO_SETTINGS_MODULE="nowhere.settings")
    assert done.returncode == 0, done.stderr
    [spooled] = (spool_root(tmp_path) / NEW).iterdir()
    assert spool_read(spooled) == ("support@kefu.test", raw)
    assert list((spool_root(tmp_path) / "tmp").iterdir()) == []


def test_a_message_over_the_limit_is_refused_for_the_mta_to_bounce(tmp_path):
    done = _ingest(b"x" * 101, tmp_path, KEFU_MAIL_MAX_MESSAGE_BYTES="100")
    assert done.returncode == 65
    assert b"larger than 100 bytes" in done.stderr
    assert not (spool_root(tmp_path) / NEW).exists() or not list((spool_root(tmp_path) / NEW).iterdir())


def test_a_spool_that_cannot_be_written_asks_the_mta_to_retry(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    done = _ingest(raw_mail(), blocked)
    assert done.returncode == 75
    assert b"could not write to the mail spool" in done.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_imports_the_spool_in_order_into_tickets(mailbox, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = raw_mail(message_id="<a@example.cn>", subject="打印机坏了")
    spool_write(first, mailbox="support@kefu.test", data_dir=tmp_path)
    spool_write(raw_mail(message_id="<b@example.cn>", subject="又坏了"), mailbox="", data_dir=tmp_path)

    stored = spool_import()

    messages = list(InboundMessage.objects.filter(pk__in=stored).order_by("id"))
    assert [m.message_id for m in messages] == ["a@example.cn", "b@example.cn"]
    assert [m.mailbox_id for m in messages] == [mailbox.pk, mailbox.pk]  # the second went by its recipient
    assert [m.state for m in messages] == [InboundMessage.State.IMPORTED] * 2
    assert list(Ticket.objects.order_by("id").values_list("subject", flat=True)) == ["打印机坏了", "又坏了"]
    assert list((spool_root(tmp_path) / NEW).iterdir()) == []
    assert list((spool_root(tmp_path) / CLAIMED).iterdir()) == []
    assert spool_import() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_imported_twice_after_a_crash_makes_one_ticket(mailbox, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    raw = raw_mail(message_id="<twice@example.cn>")
    spool_write(raw, mailbox="support@kefu.test", data_dir=tmp_path)
    spool_import()
    # A crashed importer stored the file but never deleted it: it comes back after the stale limit.
    claimed = spool_root(tmp_path) / CLAIMED / "00000000000000000001-crashed.eml"
    claimed.write_bytes(b"support@kefu.test\n" + raw)
    old = time.time() - STALE_CLAIM_SECONDS - 1
    os.utime(claimed, (old, old))

    stored = spool_import()

    assert InboundMessage.objects.get(pk=stored[0]).state == InboundMessage.State.DUPLICATE
    assert Ticket.objects.count() == 1
