"""Importing the mail spool that ``kefu mail ingest --spool`` fills (see ``kefu.channels.email.spool``).

Beat runs :func:`spool_import` every second. Each file is first **claimed** by renaming it into
``claimed/`` (a rename is atomic, so two importers never take the same file), then stored with
``message_store`` (committed), then deleted, and its processing is queued. A crash after the store but
before the delete imports the file again later: the second copy is recognised as a duplicate of the
first (same Message-ID, or same bytes) and makes no second ticket. A claim older than
``STALE_CLAIM`` is a crashed importer's and goes back to ``new/``.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.conf import settings

from kefu.channels.email.intake.store import message_store
from kefu.channels.email.models import InboundMessage
from kefu.channels.email.selectors import mailboxes_by_address
from kefu.channels.email.spool import CLAIMED, NEW, spool_read, spool_root
from kefu.core.errors import PayloadTooLarge

logger = logging.getLogger(__name__)

BATCH = 500
STALE_CLAIM_SECONDS = 300


def _release_stale_claims(root: Path) -> None:
    claimed = root / CLAIMED
    if not claimed.is_dir():
        return
    cutoff = time.time() - STALE_CLAIM_SECONDS
    for entry in os.scandir(claimed):
        if entry.stat().st_mtime < cutoff:
            os.replace(entry.path, root / NEW / entry.name)


def spool_import(*, limit: int = BATCH) -> list[int]:
    """Store the spooled messages (at most ``limit``, oldest first); return the ids of the stored ones."""
    from kefu.channels.email.tasks.intake import process_message

    root = spool_root(settings.DATA_DIR)
    if not (root / NEW).is_dir():
        return []
    _release_stale_claims(root)
    names = sorted(os.listdir(root / NEW))[:limit]
    mailboxes = mailboxes_by_address() if names else {}
    stored: list[int] = []
    for name in names:
        claimed = root / CLAIMED / name
        try:
            os.rename(root / NEW / name, claimed)
        except FileNotFoundError:
            continue  # another importer took it
        address, raw = spool_read(claimed)
        try:
            inbound = message_store(
                raw, source=InboundMessage.Source.PIPE, mailbox=mailboxes.get(address.lower())
            )
        except PayloadTooLarge:
            logger.error("mail spool: %s is over the size limit; dropped", name)
            claimed.unlink()
            continue
        except Exception:
            # The database is away: leave the file for the next run.
            os.replace(claimed, root / NEW / name)
            logger.exception("mail spool: could not store %s; will try again", name)
            break
        claimed.unlink()
        stored.append(inbound.pk)
        process_message.delay(inbound.pk)
    return stored
