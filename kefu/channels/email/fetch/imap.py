"""IMAP polling: import what arrived since the last imported UID, whatever another client did to \\Seen.

The server's UIDVALIDITY and the highest UID we stored are kept on the mailbox. A changed UIDVALIDITY
means the server renumbered the folder: everything is fetched again from the start and intake's
Message-ID de-duplication drops what we already have. A message that cannot be fetched or stored is
skipped (and named in ``last_error``) but left on the server untouched, so nothing is ever lost and the
rest of the folder still comes in.
"""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass, field

from kefu.channels.email.connect import encode_folder, imap_connect, imap_logout
from kefu.channels.email.fetch.store import store_fetched
from kefu.channels.email.models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)

_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCH_CHUNK = 50


@dataclass
class PollResult:
    stored: int = 0
    errors: list[str] = field(default_factory=list)


def _check(response: tuple[str, list], what: str) -> list:
    status, data = response
    if status != "OK":
        detail = b" ".join(item for item in data if isinstance(item, bytes)).decode(errors="replace")
        raise imaplib.IMAP4.error(f"{what}: {detail}")
    return data


def _uidvalidity(client: imaplib.IMAP4, folder: str) -> int:
    _status, data = client.response("UIDVALIDITY")
    if data and data[0]:
        return int(data[0])
    data = _check(client.status(folder, "(UIDVALIDITY)"), "STATUS")
    match = _UIDVALIDITY.search(data[0] or b"")
    if not match:
        raise imaplib.IMAP4.error("the server did not say the folder's UIDVALIDITY")
    return int(match.group(1))


def _new_uids(client: imaplib.IMAP4, after: int) -> list[int]:
    data = _check(client.uid("SEARCH", None, f"UID {after + 1}:*"), "UID SEARCH")
    # "n:*" always matches the last message, even when its UID is below n.
    return sorted(uid for uid in (int(token) for token in (data[0] or b"").split()) if uid > after)


def _fetch(client: imaplib.IMAP4, uid: int) -> bytes:
    data = _check(client.uid("FETCH", str(uid), "(BODY.PEEK[])"), f"UID FETCH {uid}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise imaplib.IMAP4.error(f"UID FETCH {uid}: the server sent no message")


def _after_import(client: imaplib.IMAP4, mailbox: Mailbox, uids: list[int]) -> None:
    """Move or delete the messages we stored, as the mailbox asks; only ever those."""
    if not uids or mailbox.after_import == Mailbox.AfterImport.KEEP:
        return
    capabilities = {str(cap).upper() for cap in client.capabilities}
    for start in range(0, len(uids), _FETCH_CHUNK):
        uid_set = ",".join(str(uid) for uid in uids[start : start + _FETCH_CHUNK])
        if mailbox.after_import == Mailbox.AfterImport.MOVE:
            target = encode_folder(mailbox.move_to_folder)
            client.create(target)  # fails harmlessly when the folder exists
            if "MOVE" in capabilities:
                _check(client.uid("MOVE", uid_set, target), "UID MOVE")
                continue
            _check(client.uid("COPY", uid_set, target), "UID COPY")
        _check(client.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)"), "UID STORE")
        if "UIDPLUS" in capabilities:
            _check(client.uid("EXPUNGE", uid_set), "UID EXPUNGE")
        else:
            _check(client.expunge(), "EXPUNGE")


class _Session:
    """The IMAP connection of one poll, reopened when the server drops it.

    Some servers drop the connection on a message they cannot read; the same UID is then tried once
    more on a fresh connection, and skipped if that fails too, so such a message cannot block the
    mailbox forever while a passing network error costs nothing.
    """

    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.folder = encode_folder(mailbox.folder or "INBOX")
        self.client: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

    def open(self) -> imaplib.IMAP4:
        self.close()
        client = imap_connect(self.mailbox)
        self.client = client
        _check(client.select(self.folder), "SELECT")
        uidvalidity = _uidvalidity(client, self.folder)
        if self.uidvalidity and uidvalidity != self.uidvalidity:
            raise imaplib.IMAP4.error("UIDVALIDITY changed during the poll")
        self.uidvalidity = uidvalidity
        return client

    def close(self) -> None:
        if self.client is not None:
            imap_logout(self.client)
            self.client = None

    def fetch(self, uid: int) -> bytes:
        try:
            return _fetch(self.client or self.open(), uid)
        except imaplib.IMAP4.abort:
            logger.warning("mailbox %s: connection dropped on UID %s; trying again", self.mailbox.pk, uid)
            return _fetch(self.open(), uid)


def _import_one(session: _Session, uid: int, result: PollResult) -> bool:
    mailbox = session.mailbox
    try:
        raw = session.fetch(uid)
    except (imaplib.IMAP4.error, ValueError) as exc:  # IMAP4.abort included: it failed twice
        result.errors.append(f"UID {uid}: {exc}")
        logger.warning("mailbox %s: cannot fetch UID %s: %s", mailbox.pk, uid, exc)
        session.close()
        return False
    try:
        store_fetched(raw, source=InboundMessage.Source.IMAP, mailbox=mailbox)
    except Exception as exc:
        result.errors.append(f"UID {uid}: {exc}")
        logger.exception("mailbox %s: cannot store UID %s", mailbox.pk, uid)
        return False
    result.stored += 1
    return True


def poll_imap(mailbox: Mailbox) -> PollResult:
    """Import new messages of ``mailbox``'s folder; connection errors propagate to the caller."""
    result = PollResult()
    session = _Session(mailbox)
    try:
        client = session.open()
        if mailbox.uidvalidity != session.uidvalidity:
            if mailbox.uidvalidity is not None:
                logger.warning("mailbox %s: UIDVALIDITY changed, importing the folder again", mailbox.pk)
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=session.uidvalidity, last_uid=0)
            mailbox.uidvalidity, mailbox.last_uid = session.uidvalidity, 0
        stored_uids: list[int] = []
        for uid in _new_uids(client, mailbox.last_uid or 0):
            if _import_one(session, uid, result):
                stored_uids.append(uid)
            # Stored or not, never fetch this UID again: a broken message must not block the folder, and
            # one we could not store stays on the server for a person to look at. A crash before this
            # line only means the message is fetched again and intake drops the duplicate.
            Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
            mailbox.last_uid = uid
        _after_import(session.client or session.open(), mailbox, stored_uids)
    finally:
        session.close()
    return result
