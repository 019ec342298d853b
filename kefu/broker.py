"""The embedded broker: kombu's file-system transport, made safe and fast enough for ``kefu run``.

A message is a file in the queue folder. kombu's own transport (5.7) has three faults that matter once
the worker polls often, which it must to take more than one or two jobs a second:

- a publisher creates the message file and only then writes it, so a consumer that lists the folder in
  between claims an empty file; it fails to decode it and the worker stops (or the message is lost);
- every get lists and sorts the whole folder, so with n jobs waiting each one costs O(n log n);
- a claimed message is moved to the system's temporary folder, which is a copy and a delete, not an
  atomic claim, when that folder is on another file system than ``KEFU_DATA_DIR``.

Here a publisher writes ``<name>.part`` and renames it to ``<name>`` (a consumer sees a message whole or
not at all); a consumer claims a message by renaming it into the processed folder beside the queue (one
consumer wins), reads it and deletes it; and a listing of the folder is served until it is used up
before the folder is listed again. The folder layout and the file names are kombu's (except that names
start with the publishing time in zero-padded nanoseconds, not milliseconds that tie, so that sorting
them is publishing order). A file that cannot be decoded is logged and dropped instead of stopping the
worker.

``kefu/celery.py`` names it ``kefu-filesystem``; the settings' embedded default is the broker URL
``kefu-filesystem://`` with the folders and the polling interval in ``CELERY_BROKER_TRANSPORT_OPTIONS``.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from queue import Empty
from time import monotonic_ns
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".part"


class Channel(filesystem.Channel):
    """One connection's view of the queue folder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listed: dict[str, deque[str]] = {}

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        partial = path + PARTIAL_SUFFIX
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, path)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc

    def _list(self, queue: str) -> deque[str]:
        wanted = f"{queue}.msg"
        names = [name for name in os.listdir(self.data_folder_in) if name.partition(".")[2] == wanted]
        names.sort()
        return deque(names)

    def _claim(self, names: deque[str]) -> Any:
        """The first message of ``names`` that this consumer wins, decoded; None when none is left."""
        while names:
            name = names.popleft()
            claimed = os.path.join(self.processed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another consumer took it
            except OSError as exc:
                raise ChannelError(f"Cannot claim {name!r} from the queue") from exc
            try:
                with open(claimed, "rb") as file:
                    payload = file.read()
                if not self.store_processed:
                    os.remove(claimed)
            except OSError as exc:
                raise ChannelError(f"Cannot read file {claimed!r} from queue.") from exc
            try:
                return loads(bytes_to_str(payload))
            except ValueError:
                logger.error("Dropped broker message %s: incomplete (%d bytes)", name, len(payload))
        return None

    def _get(self, queue: str) -> Any:
        listed = self._listed.get(queue)
        if listed:
            message = self._claim(listed)
            if message is not None:
                return message
        listed = self._listed[queue] = self._list(queue)
        message = self._claim(listed)
        if message is None:
            raise Empty()
        return message

    def _purge(self, queue: str) -> int:
        self._listed.pop(queue, None)
        return int(super()._purge(queue))


class Transport(filesystem.Transport):
    Channel = Channel
    driver_name = "kefu-filesystem"
