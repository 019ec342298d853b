"""A CSV or XLSX file with a column mapping: one item per row, or per ticket for tickets.

A tickets file may carry a ticket's conversation: rows that repeat the ticket's ``external_id`` right
after it add one message each (``message_type``: customer, reply, note or public_note;
``message_body``, ``message_author``, ``message_created_at``). The ticket's own row may carry the first
message too. A ticket and its messages are one item, imported together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kefu.transfer.items import Item
from kefu.transfer.readers import read_rows

MESSAGE_FIELDS = {
    "message_type": "type",
    "message_body": "body",
    "message_author": "author",
    "message_created_at": "created_at",
    "message_id": "external_id",
}


def _mapped(row: dict[str, str], mapping: dict[str, str]) -> dict[str, Any]:
    return {target: row.get(column, "") for column, target in mapping.items() if target}


def _message(data: dict[str, Any]) -> dict[str, Any] | None:
    message = {name: data.get(target, "") for target, name in MESSAGE_FIELDS.items()}
    return message if str(message["body"]).strip() or str(message["type"]).strip() else None


def tabular_items(path: str, kind: str, mapping: dict[str, str], module_key: str = "") -> Iterator[Item]:
    _header, rows = read_rows(path)
    if kind != "tickets":
        for number, row in rows:
            yield Item(kind=kind, row=number, data=_mapped(row, mapping), scope=module_key)
        return
    current: Item | None = None
    for number, row in rows:
        data = _mapped(row, mapping)
        key = str(data.get("external_id") or "").strip()
        if current is not None and key and key == str(current.data.get("external_id") or "").strip():
            current.size += 1
            message = _message(data)
            if message:
                current.messages.append(message)
            continue
        if current is not None:
            yield current
        current = Item(kind=kind, row=number, data=data)
        message = _message(data)
        if message:
            current.messages.append(message)
    if current is not None:
        yield current


def tabular_size(path: str) -> int:
    _header, rows = read_rows(path)
    return sum(1 for _row in rows)
