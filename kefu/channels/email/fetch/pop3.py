"""POP3 polling: POP3 has no folders and no flags, so the UIDL of every imported message is remembered.

A message is deleted from the server (when the mailbox asks for it) only after it was stored; a message
that cannot be retrieved or stored is skipped, named in ``last_error`` and left on the server.
"""

from __future__ import annotations

import logging
import poplib

from kefu.channels.email.connect import pop3_connect
from kefu.channels.email.fetch.imap import PollResult
from kefu.channels.email.fetch.store import store_fetched
from kefu.channels.email.models import InboundMessage, Mailbox, Pop3SeenMessage

logger = logging.getLogger(__name__)

# poplib refuses lines over 2 KiB; real mail (long HTML lines, broken mailers) has longer ones.
poplib._MAXLINE = 1024 * 1024


def _listing(client: poplib.POP3) -> list[tuple[int, str]]:
    _response, lines, _octets = client.uidl()
    listing = []
    for line in lines:
        number, _space, uidl = line.decode("ascii", errors="replace").partition(" ")
        listing.append((int(number), uidl.strip()))
    return listing


def poll_pop3(mailbox: Mailbox) -> PollResult:
    """Import the messages of ``mailbox`` whose UIDL we have not seen; connection errors propagate."""
    result = PollResult()
    client = pop3_connect(mailbox)
    try:
        listing = _listing(client)
        on_server = {uidl for _number, uidl in listing}
        seen = set(Pop3SeenMessage.objects.filter(mailbox=mailbox).values_list("uidl", flat=True))
        for number, uidl in listing:
            if uidl in seen:
                continue
            try:
                _response, lines, _octets = client.retr(number)
            except poplib.error_proto as exc:
                result.errors.append(f"UIDL {uidl}: {exc}")
                logger.warning("mailbox %s: cannot retrieve %s: %s", mailbox.pk, uidl, exc)
                continue
            try:
                store_fetched(
                    b"\r\n".join(lines) + b"\r\n", source=InboundMessage.Source.POP3, mailbox=mailbox
                )
            except Exception as exc:
                result.errors.append(f"UIDL {uidl}: {exc}")
                logger.exception("mailbox %s: cannot store %s", mailbox.pk, uidl)
                continue
            Pop3SeenMessage.objects.get_or_create(mailbox=mailbox, uidl=uidl)
            result.stored += 1
            if mailbox.after_import == Mailbox.AfterImport.DELETE:
                client.dele(number)
        # What left the server can never come back under the same UIDL: forget it.
        Pop3SeenMessage.objects.filter(mailbox=mailbox).exclude(uidl__in=on_server).delete()
        client.quit()  # deletions take effect here, after everything was stored
    except BaseException:
        client.close()
        raise
    return result
