"""The mail spool: how ``kefu mail ingest --spool`` keeps a message without starting Django.

An MTA runs the pipe once per message, and a burst of mail means hundreds of processes at once. With
``--spool`` the command only writes the raw message to ``KEFU_DATA_DIR/mail-spool/new`` — atomically
(a temporary file, flushed to disk, renamed into place), so a file there is always complete — and exits
0: the message is safe. The worker's scheduler imports the spool every second
(``kefu.channels.email.intake.spool``). Nothing here imports Django.

A spool file is the mailbox address the MTA named (possibly empty) on its first line, then the raw
message, byte for byte.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

NEW, CLAIMED, TMP = "new", "claimed", "tmp"


def spool_root(data_dir: Path) -> Path:
    return data_dir / "mail-spool"


def spool_write(raw: bytes, *, mailbox: str, data_dir: Path) -> Path:
    """Keep ``raw`` in the spool; return the file. Raises ``OSError`` when the disk cannot take it."""
    root = spool_root(data_dir)
    for folder in (NEW, CLAIMED, TMP):
        (root / folder).mkdir(parents=True, exist_ok=True)
    # The time first: the importer takes files in the order they arrived (a reply after its original).
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}.eml"
    temporary = root / TMP / name
    with temporary.open("wb") as handle:
        handle.write(mailbox.strip().encode("ascii", "replace") + b"\n" + raw)
        handle.flush()
        os.fsync(handle.fileno())
    final = root / NEW / name
    os.rename(temporary, final)
    return final


def spool_read(path: Path) -> tuple[str, bytes]:
    """``(mailbox address, raw message)`` of a spool file."""
    data = path.read_bytes()
    head, _newline, raw = data.partition(b"\n")
    return head.decode("ascii", "replace").strip(), raw
