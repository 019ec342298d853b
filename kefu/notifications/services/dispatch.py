"""From a ticket's change to the notifications it causes: who, through which channel, in which words.

The outbox consumer ``notifications`` (registered in ``apps.py``) receives the ticket events after
their commit, in the relay's transaction, and for each one:

1. decides which built-in notifications the change causes (:func:`triggered`);
2. keeps those the department has on (``NotificationRule``, else the catalogue's default);
3. resolves their recipients, minus the agent who made the change, and per agent their preferences
   (channels, quiet hours);
4. renders the template in each recipient's language and writes one ``NotificationDelivery`` per
   recipient and channel — an in-app one together with its ``Notification`` row — with the key
   ``e<outbox id>``: the unique constraint makes a second delivery of the event produce nothing, and one
   person gets one notification per channel for one change even when several apply (a mention wins
   over "a ticket you follow changed");
5. after the commit, queues the sending task for the email and SMS deliveries.

Other apps make their own notifications happen with :func:`notify` (SLA warnings, rule actions).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kefu.core.crash_points import crash_point
from kefu.core.event_types import EventType
from kefu.core.events import Event
from kefu.notifications import catalog
from kefu.notifications.models import (
    Channel,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationRule,
    NotificationTemplate,
)
from kefu.notifications.rendering import Rendered, render
from kefu.notifications.services.context import normalise_language, ticket_context
from kefu.org.models import Agent, User
from kefu.org.permissions import ROLE_ADMINISTRATOR, ROLE_SUPERVISOR
from kefu.tickets.models import Comment, StatusType, Thread, Ticket

logger = logging.getLogger(__name__)

CONSUMER = "notifications"
EVENT_TYPES = (
    EventType.TICKET_CREATED,
    EventType.TICKET_UPDATED,
    EventType.TICKET_REPLIED,
    EventType.TICKET_MESSAGE_RECEIVED,
    EventType.TICKET_COMMENTED,
)


def rate_limit_per_hour() -> int:
    """Emails and SMS one recipient gets at most per hour; the rest are recorded as not sent."""
    configured = getattr(settings, "KEFU_NOTIFICATION_RATE_PER_HOUR", None)
    if configured is None:
        return int(os.environ.get("KEFU_NOTIFICATION_RATE_PER_HOUR", "60"))
    return int(configured)


@dataclass
class Trigger:
    """One notification a change causes, with what the template shows and whom it names directly."""

    key: str
    latest_html: str = ""
    latest_text: str = ""
    users: list[int] = field(default_factory=list)
    """The agents ``assignee`` / ``mentioned`` / ``department`` mean here (e.g. the new assignee)."""
    department_id: int | None = None


@dataclass
class Recipient:
    address: str  # "user:<id>", an email address or a phone number
    channel: str
    language: str
    name: str
    user_id: int | None = None


# --- which notifications a change causes --------------------------------------------------------


def _changes(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["field"]: change for change in payload.get("changes", []) if change.get("field")}


def _type(value: Any) -> str:
    return str(value.get("type", "")) if isinstance(value, dict) else ""


def _id(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) else None


def _thread_text(thread_id: Any) -> tuple[str, str]:
    thread = Thread.objects.filter(pk=thread_id).only("body_html", "body_text").first() if thread_id else None
    return (thread.body_html, thread.body_text) if thread is not None else ("", "")


def _first_thread_text(ticket: Ticket) -> tuple[str, str]:
    thread = ticket.threads.order_by("created_at", "id").only("body_html", "body_text").first()
    return (thread.body_html, thread.body_text) if thread is not None else ("", "")


TriggerSource = Callable[[Event, Ticket], list[Trigger]]
_sources: dict[EventType, list[TriggerSource]] = {}


def register_trigger_source(event_type: EventType, source: TriggerSource) -> None:
    """Let another app turn one more event type into notifications (the SLA app's warnings)."""
    _sources.setdefault(event_type, []).append(source)


def triggered(event: Event, ticket: Ticket) -> list[Trigger]:
    """The notifications ``event`` causes, most specific first."""
    payload = dict(event.payload)
    if payload.get("source") == "import":
        return []  # history being loaded: nobody is told about it again
    changes = _changes(payload)
    actor_kind = (payload.get("actor") or {}).get("kind")
    found: list[Trigger] = []
    kind = event.type
    if kind is EventType.TICKET_CREATED:
        opened_by_agent = actor_kind == "agent"
        if payload.get("source") != "email" and not opened_by_agent:
            # A ticket opened by email is acknowledged by its mailbox (kefu.channels.email.autoack),
            # which knows whether the message may be answered at all; one an agent opens for a
            # customer (a phone call logged in the console) is acknowledged by the agent's own reply.
            html, text = _first_thread_text(ticket)
            found.append(Trigger("customer.ticket_received", html, text))
        assignee = _id(changes.get("assignee", {}).get("new"))
        if assignee is not None:
            found.append(Trigger("agent.assigned", users=[assignee]))
        elif ticket.assignee_id is None:
            found.append(Trigger("supervisor.new_unassigned"))
        if _id(changes.get("team", {}).get("new")) is not None:
            found.append(Trigger("agent.team_assigned"))
        return found
    if kind is EventType.TICKET_COMMENTED:
        comment_id = payload.get("comment_id")
        comment = Comment.objects.filter(pk=comment_id).first() if isinstance(comment_id, int) else None
        html, text = (comment.body_html, comment.body_text) if comment is not None else ("", "")
        mentioned = [pk for pk in payload.get("mention_ids", []) if isinstance(pk, int)]
        if mentioned:
            found.append(Trigger("agent.mentioned", html, text, users=mentioned))
        action = payload.get("comment_action", "added")
        if (comment is not None and comment.is_public) or (action == "deleted" and payload.get("public")):
            found.append(Trigger(f"customer.comment_{action}", html, text))
    if kind is EventType.TICKET_MESSAGE_RECEIVED:
        html, text = _thread_text(payload.get("thread_id"))
        found.append(Trigger("agent.customer_replied", html, text))
    if "assignee" in changes:
        assignee = _id(changes["assignee"].get("new"))
        if assignee is not None:
            found.append(Trigger("agent.assigned", users=[assignee]))
    if "team" in changes and _id(changes["team"].get("new")) is not None:
        found.append(Trigger("agent.team_assigned"))
    if "status" in changes:
        old, new = _type(changes["status"].get("old")), _type(changes["status"].get("new"))
        if new == StatusType.CLOSED and old != StatusType.CLOSED:
            found.append(Trigger("customer.ticket_closed"))
        elif old == StatusType.CLOSED and new != StatusType.CLOSED and kind is EventType.TICKET_UPDATED:
            # Not when the customer's message reopened it (whoever logged it): they know.
            found.append(Trigger("customer.ticket_reopened"))
    if "department" in changes:
        department = _id(changes["department"].get("new"))
        if department is not None:
            found.append(Trigger("agent.department_moved", department_id=department))
    for source in _sources.get(kind, []):
        found.extend(source(event, ticket))
    found.append(Trigger("agent.followed_changed"))
    return found


# --- rules, templates, preferences --------------------------------------------------------------


class _Lookups:
    """Rules, templates and preferences read once per batch of events."""

    def __init__(self) -> None:
        self.rules: dict[tuple[int, str], NotificationRule | None] = {}
        self.templates: dict[tuple[str, str], catalog.Template] = {}
        self.preferences: dict[int, NotificationPreference | None] = {}

    def rule(self, department_id: int, key: str) -> tuple[bool, list[str], list[str], list[str]]:
        """(on, recipient kinds, other addresses, customer channels) for the department."""
        if (department_id, key) not in self.rules:
            self.rules[(department_id, key)] = NotificationRule.objects.filter(
                department_id=department_id, event=key
            ).first()
        row = self.rules[(department_id, key)]
        kind = catalog.get(key)
        assert kind is not None
        if row is None:
            return kind.enabled, list(kind.default_recipients), [], [Channel.EMAIL]
        return row.enabled, list(row.recipients), list(row.addresses), list(row.channels or [Channel.EMAIL])

    def template(self, key: str, language: str) -> catalog.Template:
        if (key, language) not in self.templates:
            row = NotificationTemplate.objects.filter(event=key, language=language).first()
            self.templates[(key, language)] = (
                catalog.Template(row.subject, row.body_html, row.body_text)
                if row is not None
                else catalog.default_template(key, language)
            )
        return self.templates[(key, language)]

    def preference(self, user_id: int) -> NotificationPreference | None:
        if user_id not in self.preferences:
            self.preferences[user_id] = NotificationPreference.objects.filter(user_id=user_id).first()
        return self.preferences[user_id]


def agent_channels(preference: NotificationPreference | None, key: str) -> list[str]:
    kind = catalog.get(key)
    default: list[str] = list(kind.agent_channels) if kind is not None else [Channel.IN_APP.value]
    if preference is None or key not in (preference.channels or {}):
        return default
    return [channel for channel in preference.channels[key] if channel in Channel.values]


def in_quiet_hours(preference: NotificationPreference | None, time_zone: str, now: dt.datetime) -> bool:
    if preference is None or preference.quiet_from is None or preference.quiet_until is None:
        return False
    try:
        local = now.astimezone(zoneinfo.ZoneInfo(time_zone)).time()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = now.time()
    start, end = preference.quiet_from, preference.quiet_until
    return start <= local < end if start <= end else (local >= start or local < end)


# --- recipients ---------------------------------------------------------------------------------


def _agents(user_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(pk__in=set(user_ids), is_active=True, agent__isnull=False).select_related("agent")
    )


def _agent_users(ticket: Ticket, kinds: list[str], trigger: Trigger) -> list[User]:
    ids: list[int] = []
    for kind in kinds:
        if kind == catalog.ASSIGNEE:
            ids += trigger.users if trigger.key == "agent.assigned" else [ticket.assignee_id or 0]
        elif kind == catalog.MENTIONED:
            ids += trigger.users
        elif kind == catalog.TEAM and ticket.team_id:
            ids += Agent.objects.filter(teams=ticket.team_id).values_list("user_id", flat=True)
        elif kind == catalog.FOLLOWERS:
            ids += ticket.followers.values_list("pk", flat=True)
        elif kind == catalog.SUPERVISORS:
            ids += Agent.objects.filter(
                departments=trigger.department_id or ticket.department_id,
                role__key__in=(ROLE_SUPERVISOR, ROLE_ADMINISTRATOR),
            ).values_list("user_id", flat=True)
        elif kind == catalog.DEPARTMENT:
            ids += Agent.objects.filter(
                departments=trigger.department_id or ticket.department_id
            ).values_list("user_id", flat=True)
    return _agents(pk for pk in ids if pk)


def recipients(
    ticket: Ticket,
    trigger: Trigger,
    lookups: _Lookups,
    *,
    actor_user_id: int | None,
    now: dt.datetime,
) -> list[Recipient]:
    """Who gets the notification ``trigger`` and through which channels (rule off: nobody)."""
    enabled, kinds, addresses, customer_channels = lookups.rule(ticket.department_id, trigger.key)
    if not enabled:
        return []
    found: list[Recipient] = []
    fallback = normalise_language(ticket.language) if ticket.language else None
    contact = ticket.contact
    customers: list[tuple[str, str, str, str]] = []  # (email, phone, language, name)
    if catalog.CONTACT in kinds:
        customers.append((contact.email, contact.phone, contact.language, contact.name or contact.email))
    if catalog.CC in kinds:
        for cc in ticket.cc_contacts.all():
            customers.append((cc.email, cc.phone, cc.language, cc.name or cc.email))
    for address in addresses:
        customers.append((address, "", "", address))
    from kefu.notifications.services.context import default_language

    for email, phone, language, name in customers:
        chosen = normalise_language(language) if language else (fallback or default_language())
        if Channel.EMAIL in customer_channels and email:
            found.append(Recipient(email.lower(), Channel.EMAIL, chosen, name))
        if Channel.SMS in customer_channels and phone:
            found.append(Recipient(phone, Channel.SMS, chosen, name))
    for user in _agent_users(ticket, [k for k in kinds if k in catalog.AGENT_KINDS], trigger):
        if user.pk == actor_user_id:
            continue
        agent = user.agent
        preference = lookups.preference(user.pk)
        channels = agent_channels(preference, trigger.key)
        if in_quiet_hours(preference, agent.time_zone, now):
            channels = [channel for channel in channels if channel == Channel.IN_APP]
        language = normalise_language(agent.language)
        name = user.get_full_name() or user.email
        for channel in channels:
            if channel == Channel.IN_APP:
                found.append(Recipient(f"user:{user.pk}", channel, language, name, user.pk))
            elif channel == Channel.EMAIL:
                found.append(Recipient(user.email.lower(), channel, language, name, user.pk))
    return found


# --- producing deliveries -----------------------------------------------------------------------


def _ticket(ticket_id: Any) -> Ticket | None:
    if not isinstance(ticket_id, int):
        return None
    return (
        Ticket.objects.select_related(
            "contact", "status", "priority", "department", "team", "assignee", "brand"
        )
        .filter(pk=ticket_id, deleted_at__isnull=True, is_spam=False)
        .first()
    )


def _actor_user(payload: dict[str, Any]) -> User | None:
    actor = payload.get("actor") or {}
    if actor.get("kind") != "agent" or not isinstance(actor.get("id"), int):
        return None
    return User.objects.filter(pk=actor["id"]).first()


def produce(
    *,
    key: str,
    ticket: Ticket,
    triggers: list[Trigger],
    actor_user: User | None,
    lookups: _Lookups | None = None,
    source_at: dt.datetime | None = None,
    explicit: list[Recipient] | None = None,
) -> list[int]:
    """Write the deliveries of ``triggers`` on ``ticket`` under ``key``; return the ids to send.

    Must run inside a transaction; the caller queues :func:`queue_sending` after its commit.
    """
    lookups = lookups or _Lookups()
    now = timezone.now()
    seen: set[tuple[str, str]] = set()
    rows: list[NotificationDelivery] = []
    in_app: list[tuple[NotificationDelivery, int]] = []
    actor_id = actor_user.pk if actor_user is not None else None
    for trigger in triggers:
        found = (
            explicit
            if explicit is not None
            else recipients(ticket, trigger, lookups, actor_user_id=actor_id, now=now)
        )
        for recipient in found:
            if (recipient.address, recipient.channel) in seen:
                continue
            seen.add((recipient.address, recipient.channel))
            template = lookups.template(trigger.key, recipient.language)
            context = ticket_context(
                ticket,
                language=recipient.language,
                agent=actor_user,
                latest_html=trigger.latest_html,
                latest_text=trigger.latest_text,
                recipient_name=recipient.name,
            )
            rendered: Rendered = render(template.subject, template.body_html, template.body_text, context)
            row = NotificationDelivery(
                key=key,
                recipient=recipient.address,
                channel=recipient.channel,
                event=trigger.key,
                ticket_id=ticket.pk,
                language=recipient.language,
                subject=rendered.subject,
                body_html=rendered.body_html if recipient.channel == Channel.EMAIL else "",
                body_text=rendered.body_text if recipient.channel != Channel.IN_APP else "",
                created_at=now,
                source_at=source_at or now,
            )
            if recipient.channel == Channel.IN_APP:
                row.state = NotificationDelivery.State.SENT
                row.sent_at = now
                assert recipient.user_id is not None
                in_app.append((row, recipient.user_id))
            rows.append(row)
    if not rows:
        return []
    _apply_guards(rows, now)
    NotificationDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    stored = {
        (address, channel): (pk, state)
        for pk, address, channel, state in NotificationDelivery.objects.filter(key=key)
        .order_by("pk")
        .values_list("pk", "recipient", "channel", "state")
    }
    if in_app:
        have = set(
            Notification.objects.filter(
                delivery_id__in=[stored[(row.recipient, row.channel)][0] for row, _user in in_app]
            ).values_list("delivery_id", flat=True)
        )
        Notification.objects.bulk_create(
            Notification(
                user_id=user_id,
                delivery_id=stored[(row.recipient, row.channel)][0],
                event=row.event,
                ticket_id=row.ticket_id,
                text=row.subject[:500],
                created_at=now,
            )
            for row, user_id in in_app
            if stored[(row.recipient, row.channel)][0] not in have
        )
    crash_point("KEFU_TEST_PAUSE_NOTIFY_PRODUCED", key)
    return [
        pk
        for (address, channel), (pk, state) in stored.items()
        if channel != Channel.IN_APP and state == NotificationDelivery.State.QUEUED
    ]


def _apply_guards(rows: list[NotificationDelivery], now: dt.datetime) -> None:
    """Rate limit per recipient, and never email an address that sent us an auto-reply or is ours."""
    from kefu.channels.email.selectors import addresses_not_to_notify

    outgoing = [row for row in rows if row.channel != Channel.IN_APP]
    if not outgoing:
        return
    blocked = addresses_not_to_notify([row.recipient for row in outgoing if row.channel == Channel.EMAIL])
    limit = rate_limit_per_hour()
    counts: dict[str, int] = {}
    for address in {row.recipient for row in outgoing}:
        counts[address] = NotificationDelivery.objects.filter(
            recipient=address,
            created_at__gte=now - dt.timedelta(hours=1),
            state__in=(NotificationDelivery.State.QUEUED, NotificationDelivery.State.SENT),
        ).count()
    for row in outgoing:
        if row.channel == Channel.EMAIL and row.recipient in blocked:
            row.state, row.reason = NotificationDelivery.State.SKIPPED, "auto-reply or own address"
        elif counts[row.recipient] >= limit:
            row.state, row.reason = NotificationDelivery.State.SKIPPED, "rate limit"
        else:
            counts[row.recipient] += 1


def queue_sending(ids: list[int]) -> None:
    """After the commit: queue the task that sends these deliveries (beat re-queues a lost one)."""
    if not ids:
        return
    from kefu.notifications.tasks import send_notifications

    def send() -> None:
        try:
            send_notifications.delay(ids)
        except Exception:
            logger.exception("could not queue sending notifications %s; beat will", ids[:10])

    transaction.on_commit(send)


def on_ticket_events(events: list[Event]) -> None:
    """The outbox consumer: every ticket event's notifications, written once (see the module's text)."""
    lookups = _Lookups()
    to_send: list[int] = []
    for event in events:
        payload = dict(event.payload)
        ticket = _ticket(payload.get("ticket_id"))
        if ticket is None:
            continue
        triggers = triggered(event, ticket)
        if not triggers:
            continue
        to_send += produce(
            key=f"e{event.id}",
            ticket=ticket,
            triggers=triggers,
            actor_user=_actor_user(payload),
            lookups=lookups,
            source_at=event.created_at,
        )
    queue_sending(to_send)


def notify(
    *,
    key: str,
    ticket: Ticket,
    notification: str,
    actor_user: User | None = None,
    recipients_override: list[Recipient] | None = None,
    latest_html: str = "",
    latest_text: str = "",
) -> list[int]:
    """Make one notification happen on ``ticket`` now (inside the caller's transaction), under ``key``.

    For other apps (SLA warnings) and rule actions: the deliveries commit with the caller's change,
    and their sending is queued after it.
    """
    ids = produce(
        key=key,
        ticket=ticket,
        triggers=[Trigger(notification, latest_html, latest_text)],
        actor_user=actor_user,
        explicit=recipients_override,
    )
    queue_sending(ids)
    return ids


def explicit_recipients(
    ticket: Ticket, *, kinds: list[str], addresses: list[str], channel: str, actor_user_id: int | None = None
) -> list[Recipient]:
    """Recipients a rule action names (``kinds`` and literal addresses or numbers) for one channel."""
    from kefu.notifications.services.context import default_language

    fallback = normalise_language(ticket.language) if ticket.language else default_language()
    found: list[Recipient] = []
    people: list[Any] = []
    if catalog.CONTACT in kinds:
        people.append(ticket.contact)
    if catalog.CC in kinds:
        people += list(ticket.cc_contacts.all())
    for person in people:
        language = normalise_language(person.language) if person.language else fallback
        name = person.name or person.email
        if channel == Channel.EMAIL and person.email:
            found.append(Recipient(person.email.lower(), channel, language, name))
        elif channel == Channel.SMS and person.phone:
            found.append(Recipient(person.phone, channel, language, name))
    for address in addresses:
        found.append(
            Recipient(address.lower() if channel == Channel.EMAIL else address, channel, fallback, address)
        )
    agent_kinds = [kind for kind in kinds if kind in catalog.AGENT_KINDS]
    for user in _agent_users(ticket, agent_kinds, Trigger("")):
        if user.pk == actor_user_id:
            continue
        language = normalise_language(user.agent.language)
        name = user.get_full_name() or user.email
        if channel == Channel.IN_APP:
            found.append(Recipient(f"user:{user.pk}", channel, language, name, user.pk))
        elif channel == Channel.EMAIL:
            found.append(Recipient(user.email.lower(), channel, language, name, user.pk))
    return found
