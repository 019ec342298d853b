"""A Zendesk account export: ``organizations.json``, ``users.json`` and ``tickets.json``.

Zendesk's JSON export writes one object per line. Organizations become accounts (``id``, ``name``,
``domain_names``); end users become contacts (``id``, ``name``, ``email``, ``phone``,
``organization_id``; agents and admins are matched to Kefu agents by email, not created); tickets keep
``id`` as their external id, ``subject``, ``description``, ``status`` (new, open, pending, hold, solved,
closed), ``priority`` (low, normal, high, urgent), ``requester_id``, ``assignee_id``, ``group_id``,
``tags``, ``created_at`` and their ``comments`` (``author_id``, ``body``, ``public``, ``created_at``): a
public comment by the requester or another end user is a customer message, a public one by an agent a
reply, a private one an internal note. A ``groups.json`` (``id``, ``name``) matches groups to departments
by name; otherwise, and for tickets without a group, the department chosen for the import is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kefu.transfer.items import Item
from kefu.transfer.sources.common import Bundle, json_objects, priority_for, status_for

STATUS = {
    "new": "new",
    "open": "open",
    "pending": "on_hold",
    "hold": "on_hold",
    "solved": "closed",
    "closed": "closed",
}
AGENT_ROLES = {"agent", "admin"}


def _objects(bundle: Bundle, name: str, key: str) -> Iterator[dict[str, Any]]:
    for file_name in bundle.find(name):
        with bundle.open_text(file_name) as handle:
            yield from json_objects(handle, key)


def _users(bundle: Bundle) -> dict[int, dict[str, Any]]:
    return {user["id"]: user for user in _objects(bundle, "users", "users") if "id" in user}


def zendesk_items(path: str, options: dict[str, Any]) -> Iterator[Item]:
    bundle = Bundle(path)
    organizations = {}
    for number, organization in enumerate(_objects(bundle, "organizations", "organizations"), start=1):
        organizations[organization.get("id")] = organization.get("name", "")
        yield Item(
            kind="accounts",
            row=number,
            data={
                "external_id": f"zendesk-org-{organization.get('id')}",
                "name": organization.get("name", ""),
                "website": next(
                    (f"https://{domain}" for domain in organization.get("domain_names") or []), ""
                ),
            },
        )
    users = _users(bundle)
    for number, user in enumerate(users.values(), start=1):
        if user.get("role") in AGENT_ROLES:
            continue
        yield Item(
            kind="contacts",
            row=number,
            data={
                "external_id": f"zendesk-user-{user['id']}",
                "name": user.get("name") or "",
                "email": user.get("email") or "",
                "phone": user.get("phone") or "",
                "account": organizations.get(user.get("organization_id"), ""),
                "tags": user.get("tags") or [],
            },
        )
    groups = {group.get("id"): group.get("name", "") for group in _objects(bundle, "groups", "groups")}
    default_department = str(options.get("department") or "")
    for number, ticket in enumerate(_objects(bundle, "tickets", "tickets"), start=1):
        requester = users.get(ticket.get("requester_id")) or {}
        assignee = users.get(ticket.get("assignee_id")) or {}
        messages = []
        for comment in ticket.get("comments") or []:
            author = users.get(comment.get("author_id")) or {}
            by_agent = author.get("role") in AGENT_ROLES
            messages.append(
                {
                    "type": ("reply" if by_agent else "customer") if comment.get("public", True) else "note",
                    "body": comment.get("body") or comment.get("plain_body") or "",
                    "author": author.get("email") or "",
                    "created_at": comment.get("created_at") or "",
                    "external_id": str(comment.get("id") or ""),
                }
            )
        description = ticket.get("description") or ""
        if (
            messages
            and messages[0]["type"] == "customer"
            and messages[0]["body"].strip() == description.strip()
        ):
            description = ""  # the export repeats the first comment as the description
        yield Item(
            kind="tickets",
            row=number,
            data={
                "external_id": f"zendesk-ticket-{ticket.get('id')}",
                "subject": ticket.get("subject") or ticket.get("raw_subject") or "",
                "description": description,
                "department": groups.get(ticket.get("group_id")) or default_department,
                "department_fallback": default_department,
                "status": status_for(STATUS.get(str(ticket.get("status")), "open")),
                "priority": priority_for(str(ticket.get("priority") or "")),
                "contact_email": requester.get("email") or "",
                "contact_name": requester.get("name") or "",
                "assignee_email": assignee.get("email") or "",
                "tags": ticket.get("tags") or [],
                "created_at": ticket.get("created_at") or "",
                "channel": "email" if (ticket.get("via") or {}).get("channel") == "email" else "web",
            },
            messages=messages,
        )


def zendesk_size(path: str) -> int:
    return sum(1 for _item in zendesk_items(path, {}))
