"""A Zoho Desk migration file set (Zoho's "Assisted Data Migration" layout), in a ZIP or a folder.

Files are recognised by name: ``Agents*.csv`` (``agentExtId``, ``Email``), ``Accounts*.csv``
(``AccountExtId``, ``Account Name``, ``Phone``, ``Website``, ``Industry``), ``Contacts*.csv``
(``ContactExtId``, ``First Name``, ``Last Name``, ``AccountExtId``, ``Email``, ``Phone``, ``Mobile``),
``Tickets*.csv`` (``TicketExtId``, ``ContactExtId``, ``Subject``, ``Description``, ``Created Time``,
``Status``, ``Priority``, ``Department``, ``Channel``, ``Category``, ``agentExtId`` for the owner),
``Threads*.csv`` (``ThreadExtId``, ``TicketExtId``, ``Content``, ``SendDateTime``, ``Sender Email``,
``Direction`` In or Out, ``isPrivate``) and ``TicketComments*.csv`` or ``Comments*.csv``
(``CommentExtId``, ``TicketExtId``, ``Content``, ``Commented Time``, ``IsPublic``, ``agentExtId``).
Threads and comments are joined to their ticket by ``TicketExtId`` and merged in time order.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kefu.transfer.items import Item
from kefu.transfer.readers import read_rows
from kefu.transfer.sources.common import Bundle, priority_for, status_for
from kefu.transfer.values import parse_bool

STATUS = {"open": "open", "on hold": "on_hold", "escalated": "open", "closed": "closed", "new": "new"}


def _rows(bundle: Bundle, folder: Path, *patterns: str) -> Iterator[tuple[int, dict[str, str]]]:
    for name in bundle.find(*patterns):
        if name.casefold().endswith(".csv"):
            _header, rows = read_rows(bundle.extract(name, folder))
            yield from rows


def _conversations(bundle: Bundle, folder: Path, agents: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for _number, row in _rows(bundle, folder, "threads"):
        inbound = row.get("Direction", "").strip().casefold() == "in"
        private = parse_bool(row.get("isPrivate", "")) is True
        found.setdefault(row.get("TicketExtId", ""), []).append(
            {
                "type": "note" if private else ("customer" if inbound else "reply"),
                "body": "" if row.get("Content", "") == "NULL" else row.get("Content", ""),
                "author": row.get("Sender Email") or row.get("FromEmailAddress", ""),
                "created_at": row.get("SendDateTime") or row.get("ReceivedTime", ""),
                "external_id": row.get("ThreadExtId", ""),
            }
        )
    for _number, row in _rows(bundle, folder, "ticketcomments", "comments"):
        found.setdefault(row.get("TicketExtId", ""), []).append(
            {
                "type": "public_note" if parse_bool(row.get("IsPublic", "")) is True else "note",
                "body": row.get("Content", ""),
                "author": row.get("Commenter Email") or agents.get(row.get("agentExtId", ""), ""),
                "created_at": row.get("Commented Time") or row.get("Created Time", ""),
                "external_id": row.get("CommentExtId", ""),
            }
        )
    for messages in found.values():
        messages.sort(key=lambda message: str(message["created_at"]))
    return found


def zoho_items(path: str, options: dict[str, Any]) -> Iterator[Item]:
    bundle = Bundle(path)
    with tempfile.TemporaryDirectory(prefix="kefu-zoho-") as temp:
        folder = Path(temp)
        agents = {
            row.get("agentExtId", ""): row.get("Email", "") for _n, row in _rows(bundle, folder, "agents")
        }
        accounts: dict[str, str] = {}
        for number, row in _rows(bundle, folder, "accounts"):
            accounts[row.get("AccountExtId", "")] = row.get("Account Name", "")
            yield Item(
                kind="accounts",
                row=number,
                data={
                    "external_id": f"zoho-account-{row.get('AccountExtId', '')}",
                    "name": row.get("Account Name", ""),
                    "phone": row.get("Phone", ""),
                    "website": row.get("Website", ""),
                    "industry": row.get("Industry", ""),
                },
            )
        contacts: dict[str, tuple[str, str]] = {}
        for number, row in _rows(bundle, folder, "contacts"):
            name = " ".join(part for part in (row.get("Last Name", ""), row.get("First Name", "")) if part)
            contacts[row.get("ContactExtId", "")] = (row.get("Email", ""), name)
            yield Item(
                kind="contacts",
                row=number,
                data={
                    "external_id": f"zoho-contact-{row.get('ContactExtId', '')}",
                    "name": name,
                    "email": row.get("Email", ""),
                    "phone": row.get("Phone", ""),
                    "mobile": row.get("Mobile", ""),
                    "account": accounts.get(row.get("AccountExtId", ""), ""),
                },
            )
        conversations = _conversations(bundle, folder, agents)
        default_department = str(options.get("department") or "")
        for number, row in _rows(bundle, folder, "tickets"):
            email, name = contacts.get(row.get("ContactExtId", ""), ("", ""))
            status_word = STATUS.get(row.get("Status", "").strip().casefold(), "open")
            yield Item(
                kind="tickets",
                row=number,
                data={
                    "external_id": f"zoho-ticket-{row.get('TicketExtId', '')}",
                    "subject": row.get("Subject", ""),
                    "description": row.get("Description", ""),
                    "department": row.get("Department", ""),
                    "department_fallback": default_department,
                    "status": status_for(status_word),
                    "priority": priority_for(row.get("Priority", "")),
                    "contact_email": email or row.get("Email", ""),
                    "contact_name": name,
                    "assignee_email": agents.get(row.get("agentExtId", ""), ""),
                    "category": row.get("Category", ""),
                    "created_at": row.get("Created Time", ""),
                    "channel": (row.get("Channel", "") or "web").strip().casefold(),
                },
                messages=conversations.get(row.get("TicketExtId", ""), []),
            )


def zoho_size(path: str) -> int:
    return sum(1 for _item in zoho_items(path, {}))
