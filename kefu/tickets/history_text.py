"""The ticket event log in words: "张伟 changed priority from Low to High".

Events keep the id and the name a related object had at the time. The history shows today's name in the
viewer's language (a renamed status reads with its new name, a status has a Chinese and an English
name), so the ids of statuses, priorities, agents, departments, teams and custom fields are looked up
with one query per kind for the whole log, never per event. An object deleted since falls back to the
name remembered in the event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kefu.core import moments
from kefu.core.event_types import EventType
from kefu.customfields.models import CustomField
from kefu.org.models import Department, Team, User
from kefu.tickets.models import Priority, Status, TicketEvent, TicketType

FIELD_LABELS = {
    "subject": gettext_lazy("subject"),
    "description": gettext_lazy("description"),
    "status": gettext_lazy("status"),
    "priority": gettext_lazy("priority"),
    "type": pgettext_lazy("ticket", "type"),
    "assignee": gettext_lazy("assignee"),
    "team": gettext_lazy("team"),
    "department": gettext_lazy("department"),
    "contact": gettext_lazy("contact"),
    "account": gettext_lazy("account"),
    "brand": gettext_lazy("brand"),
    "parent": gettext_lazy("parent ticket"),
    "channel": gettext_lazy("channel"),
    "category": gettext_lazy("category"),
    "sub_category": gettext_lazy("sub-category"),
    "product": gettext_lazy("product"),
    "language": gettext_lazy("language"),
    "tags": gettext_lazy("tags"),
    "first_response_due_at": gettext_lazy("first response due"),
    "next_response_due_at": gettext_lazy("next response due"),
    "resolution_due_at": gettext_lazy("resolution due"),
}
_SOURCE_LABELS = {
    "api": gettext_lazy("via the API"),
    "email": gettext_lazy("by email"),
    "portal": gettext_lazy("in the help center"),
    "widget": gettext_lazy("in the chat widget"),
    "automation": gettext_lazy("by a rule"),
    "scheduler": gettext_lazy("on schedule"),
    "import": gettext_lazy("by an import"),
}
_ACTOR_LABELS = {
    "rule": gettext_lazy("A rule"),
    "blueprint": gettext_lazy("A blueprint"),
    "sla": gettext_lazy("The SLA"),
    "system": gettext_lazy("The system"),
}
_DATETIME_FIELDS = {"first_response_due_at", "next_response_due_at", "resolution_due_at"}


@dataclass(frozen=True)
class HistoryEntry:
    """One event as the history tab shows it: the sentence, when, and through which door it came."""

    id: int
    at: dt.datetime
    time: str
    text: str
    source: str


class _Names:
    """Today's display names of the objects the events refer to, loaded once per kind."""

    _MODELS: dict[str, type[Model]] = {
        "status": Status,
        "priority": Priority,
        "type": TicketType,
        "assignee": User,
        "department": Department,
        "team": Team,
    }

    def __init__(self, events: Sequence[TicketEvent]):
        wanted: dict[str, set[int]] = defaultdict(set)
        custom_keys: set[str] = set()
        for event in events:
            if event.field in self._MODELS:
                for value in (event.old_value, event.new_value):
                    if isinstance(value, dict) and isinstance(value.get("id"), int):
                        wanted[event.field].add(value["id"])
            elif event.field == "custom_fields":
                for value in (event.old_value, event.new_value):
                    if isinstance(value, dict):
                        custom_keys.update(value)
        self._names = {
            field: {obj.pk: _display(obj) for obj in self._MODELS[field].objects.filter(pk__in=ids)}
            for field, ids in wanted.items()
        }
        self._custom = (
            {
                field.key: field.display_name
                for field in CustomField.objects.filter(module=CustomField.Module.TICKET, key__in=custom_keys)
            }
            if custom_keys
            else {}
        )

    def reference(self, field: str, value: Any) -> str:
        if not isinstance(value, dict):
            return "" if value is None else str(value)
        current = self._names.get(field, {}).get(value.get("id"))
        return current or str(value.get("name") or f"#{value.get('id')}")

    def custom_field(self, key: str) -> str:
        return self._custom.get(key, key)


def _display(obj: Model) -> str:
    if isinstance(obj, User):
        return obj.name or obj.email
    return str(getattr(obj, "display_name", None) or obj)


def _format_value(field: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field in _DATETIME_FIELDS and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return moments.absolute(moment)
    if isinstance(value, dict):
        return names.reference(field, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _change_sentence(actor: str, label: str, old: str, new: str) -> str:
    values = {"actor": actor, "field": label, "old": old, "new": new}
    if not old:
        return _("%(actor)s set %(field)s to %(new)s") % values
    if not new:
        return _("%(actor)s cleared %(field)s (was %(old)s)") % values
    return _("%(actor)s changed %(field)s from %(old)s to %(new)s") % values


def _custom_fields_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    old = event.old_value if isinstance(event.old_value, dict) else {}
    new = event.new_value if isinstance(event.new_value, dict) else {}
    parts = [
        _change_sentence(actor, names.custom_field(key), _format_value("", old.get(key), names), "")
        if key not in new
        else _change_sentence(
            actor,
            names.custom_field(key),
            _format_value("", old.get(key), names),
            _format_value("", new.get(key), names),
        )
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]
    return "; ".join(parts) or _("%(actor)s changed custom fields") % {"actor": actor}


def _field_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    if event.field == "custom_fields":
        return _custom_fields_sentence(actor, event, names)
    if event.field == "description":
        return _("%(actor)s edited the description") % {"actor": actor}
    if event.field == "assignee":
        assignee = _format_value("assignee", event.new_value, names)
        if assignee:
            return _("%(actor)s assigned the ticket to %(assignee)s") % {"actor": actor, "assignee": assignee}
        return _("%(actor)s unassigned the ticket") % {"actor": actor}
    label = str(FIELD_LABELS.get(event.field, event.field))
    old = _format_value(event.field, event.old_value, names)
    new = _format_value(event.field, event.new_value, names)
    return _change_sentence(actor, label, old, new)


def _value(event: TicketEvent, key: str) -> str:
    value = event.new_value if isinstance(event.new_value, dict) else {}
    return str(value.get(key, ""))


def _follow_sentence(actor: str, event: TicketEvent, names: _Names, *, follow: bool) -> str:
    value = event.new_value if follow else event.old_value
    user = value if isinstance(value, dict) else {}
    if user.get("id") == event.actor_id and event.actor_kind == "agent":
        if follow:
            return _("%(actor)s started following the ticket") % {"actor": actor}
        return _("%(actor)s stopped following the ticket") % {"actor": actor}
    values = {"actor": actor, "name": names.reference("assignee", user)}
    if follow:
        return _("%(actor)s added %(name)s as a follower") % values
    return _("%(actor)s removed %(name)s from the followers") % values


def _list_diff(event: TicketEvent, key: str | None = None) -> tuple[list[str], list[str]]:
    def names(value: Any) -> list[str]:
        if not isinstance(value, list):
            return [] if value in (None, "") else [str(value)]
        return [str(item.get(key, "")) if key and isinstance(item, dict) else str(item) for item in value]

    before, after = names(event.old_value), names(event.new_value)
    return [item for item in after if item not in before], [item for item in before if item not in after]


def _tags_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    added, removed = _list_diff(event)
    parts = [_("%(actor)s added the tag %(tag)s") % {"actor": actor, "tag": tag} for tag in added]
    parts += [_("%(actor)s removed the tag %(tag)s") % {"actor": actor, "tag": tag} for tag in removed]
    return "; ".join(parts)


def _cc_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    # Rows written before change-sets named one contact, added (new) or removed (old, by a merge).
    if isinstance(event.new_value, dict) or isinstance(event.old_value, dict):
        added = [str(event.new_value.get("email", ""))] if isinstance(event.new_value, dict) else []
        removed = [str(event.old_value.get("email", ""))] if isinstance(event.old_value, dict) else []
    else:
        added, removed = _list_diff(event, "email")
    parts = [_("%(actor)s added %(email)s in CC") % {"actor": actor, "email": email} for email in added]
    parts += [
        _("%(actor)s removed %(email)s from CC") % {"actor": actor, "email": email} for email in removed
    ]
    return "; ".join(parts)


def _created_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    state = event.new_value if isinstance(event.new_value, dict) else {}
    earlier = state.get("follow_up_of") if event.field == "" else state
    if isinstance(earlier, dict) and earlier.get("number") is not None:
        return _("%(actor)s opened the ticket as a follow-up of ticket %(number)s") % {
            "actor": actor,
            "number": earlier["number"],
        }
    return _("%(actor)s created the ticket") % {"actor": actor}


def _comment_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    public = isinstance(event.new_value, dict) and event.new_value.get("public") is True
    if public:
        return _("%(actor)s added a public comment") % {"actor": actor}
    return _("%(actor)s added an internal comment") % {"actor": actor}


def _delivery_sentence(actor: str, event: TicketEvent, names: _Names) -> str:
    if _value(event, "status") == "failed":
        return _("Sending the reply failed: %(error)s") % {"error": _value(event, "error")}
    return _("The reply was delivered to the mail server")


_Sentence = Callable[[str, TicketEvent, "_Names"], str]
# (event type, field) → sentence; a field of "*" stands for any field of that event type.
_SENTENCES: dict[tuple[str, str], _Sentence] = {
    (EventType.TICKET_CREATED, "*"): _created_sentence,
    (EventType.TICKET_REPLIED, "threads"): lambda actor, event, names: (
        _("%(actor)s replied to the customer") % {"actor": actor}
    ),
    (EventType.TICKET_MESSAGE_RECEIVED, "threads"): lambda actor, event, names: (
        _("%(actor)s sent a message") % {"actor": actor}
    ),
    (EventType.TICKET_COMMENTED, "*"): _comment_sentence,
    (EventType.TICKET_ATTACHMENT_ADDED, "*"): lambda actor, event, names: (
        _("%(actor)s attached %(name)s") % {"actor": actor, "name": _value(event, "name")}
    ),
    (EventType.TICKET_FOLLOWED, "*"): lambda actor, event, names: _follow_sentence(
        actor, event, names, follow=event.new_value is not None
    ),
    (EventType.TICKET_DELETED, "*"): lambda actor, event, names: (
        _("%(actor)s moved the ticket to the trash") % {"actor": actor}
    ),
    (EventType.TICKET_RESTORED, "*"): lambda actor, event, names: (
        _("%(actor)s restored the ticket from the trash") % {"actor": actor}
    ),
    (EventType.TICKET_SPAM_MARKED, "*"): lambda actor, event, names: (
        _("%(actor)s marked the ticket as spam") % {"actor": actor}
        if event.new_value
        else _("%(actor)s marked the ticket as not spam") % {"actor": actor}
    ),
    (EventType.TICKET_DELIVERY_UPDATED, "*"): _delivery_sentence,
    ("*", "tags"): _tags_sentence,
    ("*", "cc_contacts"): _cc_sentence,
    # Bookkeeping the conversation already shows.
    ("*", "first_responded_at"): lambda actor, event, names: "",
}


def actor_label(event: TicketEvent) -> str:
    if event.actor_kind in ("agent", "contact") and event.actor_name:
        return event.actor_name
    if event.actor_kind == "rule" and event.actor_name:
        # The rule's name when it acted: "Rule “Hot phones” set priority to High".
        return _("Rule “%(name)s”") % {"name": event.actor_name}
    return str(_ACTOR_LABELS.get(event.actor_kind, event.actor_name or event.actor_kind))


def describe(event: TicketEvent, names: _Names) -> str:
    """The sentence for one event row; "" for rows the history does not show."""
    actor = actor_label(event)
    for key in ((event.action, event.field), (event.action, "*"), ("*", event.field)):
        sentence = _SENTENCES.get(key)
        if sentence is not None:
            return sentence(actor, event, names)
    if event.field:
        return _field_sentence(actor, event, names)
    return _("%(actor)s: %(action)s") % {"actor": actor, "action": event.action}


def history_entries(events: Iterable[TicketEvent]) -> list[HistoryEntry]:
    """The sentences for ``events`` in their order, with a bounded number of queries (at most six).

    Times are in the active time zone: the view activates the viewer's own.
    """
    events = list(events)
    names = _Names(events)
    entries = (
        HistoryEntry(
            id=event.pk,
            at=event.created_at,
            time=moments.absolute(event.created_at),
            text=describe(event, names),
            source=str(_SOURCE_LABELS.get(event.source, "")),
        )
        for event in events
    )
    return [entry for entry in entries if entry.text]
