"""``kefu mail …``: the email channel's commands.

    kefu mail ingest [--mailbox ADDRESS] [--spool] < message.eml   # an MTA pipe: one raw message on stdin
    kefu mail smtpd [--host H] [--port P]                 # the SMTP listener
    kefu mail poll [--mailbox ADDRESS]                    # fetch IMAP/POP3 mailboxes once

``ingest`` exits 0 as soon as the message is stored, whatever became of it afterwards (imported,
duplicate, quarantined…): the MTA must not bounce or retry a message Kefu already keeps. It exits 75
(EX_TEMPFAIL: the MTA retries later) when the database cannot take it, 65 (EX_DATAERR: the MTA
bounces it) for a message over ``KEFU_MAIL_MAX_MESSAGE_BYTES``. An unknown ``--mailbox`` is reported
on stderr and the message is stored without one (intake then goes by its recipients).

``ingest --spool`` writes the message to the mail spool under ``KEFU_DATA_DIR`` and exits without
starting Django (milliseconds instead of about a second of CPU per message); the worker's scheduler
imports the spool every second. Use it on the machine that runs ``kefu run`` (or a worker with beat
and the same ``KEFU_DATA_DIR``): a burst of hundreds of messages then costs the MTA almost nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

EX_DATAERR = 65
EX_TEMPFAIL = 75

logger = logging.getLogger(__name__)


def _ingest(args: argparse.Namespace) -> int:
    from kefu.channels.email.intake import message_process, message_store
    from kefu.channels.email.models import InboundMessage, Mailbox
    from kefu.core.errors import PayloadTooLarge

    raw = sys.stdin.buffer.read()
    try:
        mailbox = Mailbox.objects.filter(address__iexact=(args.mailbox or "").strip()).first()
        if args.mailbox and mailbox is None:
            # Keep the message anyway: intake finds the mailbox from its recipients or quarantines it.
            sys.stderr.write(f"kefu mail ingest: no mailbox {args.mailbox}; storing without one\n")
        inbound = message_store(raw, source=InboundMessage.Source.PIPE, mailbox=mailbox)
    except PayloadTooLarge as exc:
        sys.stderr.write(f"kefu mail ingest: {exc.message}\n")
        return EX_DATAERR
    except Exception:
        logger.exception("kefu mail ingest: could not store the message")
        return EX_TEMPFAIL
    try:
        inbound = message_process(inbound.pk)
    except Exception:
        # Stored is what counts: the recovery pass processes it later.
        logger.exception("kefu mail ingest: message %s stored, processing deferred", inbound.pk)
        return 0
    sys.stdout.write(f"{inbound.pk} {inbound.state}\n")
    return 0


def _ingest_to_spool(args: argparse.Namespace) -> int:
    import os

    from kefu.channels.email.spool import spool_write
    from kefu.paths import data_dir

    limit = int(os.environ.get("KEFU_MAIL_MAX_MESSAGE_BYTES") or 50 * 1024 * 1024)
    raw = sys.stdin.buffer.read(limit + 1)
    if len(raw) > limit:
        sys.stderr.write(f"kefu mail ingest: the message is larger than {limit} bytes\n")
        return EX_DATAERR
    try:
        spool_write(raw, mailbox=args.mailbox or "", data_dir=data_dir())
    except OSError as exc:
        sys.stderr.write(f"kefu mail ingest: could not write to the mail spool: {exc}\n")
        return EX_TEMPFAIL
    return 0


def needs_django(argv: Sequence[str]) -> bool:
    """Whether these arguments need Django set up: all but ``ingest --spool``."""
    return not (list(argv[:1]) == ["ingest"] and "--spool" in argv)


def _smtpd(args: argparse.Namespace) -> int:
    from kefu.channels.email.smtpd import serve

    serve(host=args.host, port=args.port)
    return 0


def _poll(args: argparse.Namespace) -> int:
    from kefu.channels.email.fetch import poll_all

    count = poll_all(mailbox_address=args.mailbox)
    sys.stdout.write(f"Imported {count} messages.\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu mail", description="Kefu email channel")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="store and process one raw message read from stdin")
    ingest.add_argument("--mailbox", default=None, help="the mailbox address it was delivered to")
    ingest.add_argument(
        "--spool",
        action="store_true",
        help="only write it to the mail spool (no Django start-up); the worker imports it within a second",
    )
    ingest.set_defaults(handler=_ingest)
    smtpd = commands.add_parser("smtpd", help="run the SMTP listener")
    smtpd.add_argument("--host", default="127.0.0.1")
    smtpd.add_argument("--port", type=int, default=2525)
    smtpd.set_defaults(handler=_smtpd)
    poll = commands.add_parser("poll", help="fetch new mail from IMAP/POP3 mailboxes once")
    poll.add_argument("--mailbox", default=None, help="only this mailbox address")
    poll.set_defaults(handler=_poll)
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if args.handler is _ingest and args.spool:
        return _ingest_to_spool(args)
    return args.handler(args)
