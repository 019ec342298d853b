"""One importer per kind of object: it turns an item into calls to the owning app's services.

Importers return ``"imported"`` or ``"skipped"`` (already brought in, by external id, or an existing
contact with the same address) and raise a ``ServiceError`` naming the bad fields otherwise; the runner
keeps each item in a savepoint, so a refused item leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, ContactEmail
from kefu.contacts.services import account_create, account_get_or_create_by_name, contact_create
from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, ValidationFailed
from kefu.customfields.selectors import field_specs
from kefu.modules.selectors import module_definition
from kefu.modules.services import record_create
from kefu.org.models import Department, User
from kefu.org.selectors import agent_access
from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.services import ticket_comment, ticket_create, ticket_receive, ticket_reply, ticket_update
from kefu.transfer.items import Item
from kefu.transfer.models import ExternalKey, ImportJob
from kefu.transfer.values import custom_value, parse_bool, parse_id, parse_moment, split_list

SOURCE = Source.IMPORT
MESSAGE_KINDS = ("customer", "reply", "note", "public_note")


@dataclass
class Context:
    """What the importers of one job share: the job, who acts, and look-up caches."""

    job: ImportJob
    actor: Actor = field(default_factory=Actor.system)
    departments: dict[str, int | None] = field(default_factory=dict)
    agents: dict[str, User | None] = field(default_factory=dict)

    def external_key(self, item: Item, kind: str) -> str:
        """The item's id in its source system, or the file's digest and the row for rows without one."""
        given = str(item.data.get("external_id") or "").strip()
        return given[:255] if given else f"{self.job.file_sha256[:16]}:{item.row}"

    def known(self, kind: str, scope: str, key: str) -> int | None:
        return (
            ExternalKey.objects.filter(kind=kind, scope=scope, external_id=key)
            .values_list("object_id", flat=True)
            .first()
        )

    def remember(self, kind: str, scope: str, key: str, object_id: int) -> None:
        ExternalKey.objects.create(kind=kind, scope=scope, external_id=key, object_id=object_id, job=self.job)

    def department_id(self, value: str) -> int | None:
        value = value.strip()
        if value not in self.departments:
            found = Department.objects.filter(code__iexact=value).values_list("pk", flat=True).first()
            found = found or Department.objects.filter(name=value).values_list("pk", flat=True).first()
            found = (
                found or Department.objects.filter(name_en__iexact=value).values_list("pk", flat=True).first()
            )
            if found is None and value.isdigit():
                found = Department.objects.filter(pk=int(value)).values_list("pk", flat=True).first()
            self.departments[value] = found
        return self.departments[value]

    def agent(self, email: str) -> User | None:
        email = email.strip().lower()
        if not email:
            return None
        if email not in self.agents:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            self.agents[email] = user if user is not None and agent_access(user).is_agent else None
        return self.agents[email]


def _refuse(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationFailed(_("The row is not valid."), fields=fields)


def _custom_fields(module: str, data: dict[str, Any]) -> dict[str, Any]:
    types = {spec.key: spec.field_type for spec in field_specs(module)}
    values = {}
    for name, text in data.items():
        if name.startswith("cf.") and text not in (None, ""):
            key = name.removeprefix("cf.")
            values[key] = custom_value(types.get(key, "text"), text)
    return values


def import_contact(ctx: Context, item: Item) -> str:
    data = item.data
    key = ctx.external_key(item, "contact")
    if ctx.known("contact", "", key) is not None:
        return "skipped"
    email = str(data.get("email") or "").strip().lower()
    existing = (
        ContactEmail.objects.filter(address=email).values_list("contact_id", flat=True).first()
        if email
        else None
    )
    if existing is not None:
        ctx.remember("contact", "", key, existing)
        return "skipped"
    account_id = None
    if str(data.get("account") or "").strip():
        account_id = account_get_or_create_by_name(
            actor=ctx.actor, source=SOURCE, name=str(data["account"])
        ).pk
    contact = contact_create(
        actor=ctx.actor,
        source=SOURCE,
        data=ContactInput(
            name=str(data.get("name") or "").strip(),
            email=email,
            other_emails=split_list(data.get("other_emails")),
            phone=str(data.get("phone") or "").strip(),
            mobile=str(data.get("mobile") or "").strip(),
            account_id=account_id,
            language=str(data.get("language") or "").strip(),
            time_zone=str(data.get("time_zone") or "").strip(),
            tags=split_list(data.get("tags")),
            custom_fields=_custom_fields("contact", data),
        ),
    )
    ctx.remember("contact", "", key, contact.pk)
    return "imported"


def import_account(ctx: Context, item: Item) -> str:
    data = item.data
    key = ctx.external_key(item, "account")
    if ctx.known("account", "", key) is not None:
        return "skipped"
    name = str(data.get("name") or "").strip()
    existing = (
        Account.objects.filter(name__iexact=name).values_list("pk", flat=True).first() if name else None
    )
    if existing is not None:
        ctx.remember("account", "", key, existing)
        return "skipped"
    account = account_create(
        actor=ctx.actor,
        source=SOURCE,
        data=AccountInput(
            name=name,
            website=str(data.get("website") or "").strip(),
            phone=str(data.get("phone") or "").strip(),
            industry=str(data.get("industry") or "").strip(),
            custom_fields=_custom_fields("account", data),
        ),
    )
    ctx.remember("account", "", key, account.pk)
    return "imported"


def import_record(ctx: Context, item: Item) -> str:
    module_key = item.scope or ctx.job.module_key
    definition = module_definition(module_key)
    if definition is None:
        raise NotFound(_("No such module."), fields={"module": _("No such module.")})
    key = ctx.external_key(item, "record")
    if ctx.known("record", module_key, key) is not None:
        return "skipped"
    values: dict[str, Any] = {}
    for field_ in definition.fields:
        text = item.data.get(f"values.{field_.key}")
        if text in (None, ""):
            continue
        if field_.is_ticket_lookup:
            values[field_.key] = split_list(text)
        elif field_.is_lookup:
            values[field_.key] = text
        else:
            values[field_.key] = custom_value(field_.field_type, text)
    record = record_create(
        actor=ctx.actor,
        source=SOURCE,
        module_key=module_key,
        values=values,
        external_id=str(item.data.get("external_id") or "").strip(),
    )
    ctx.remember("record", module_key, key, record.pk)
    return "imported"


def import_article(ctx: Context, item: Item) -> str:
    from kefu.kb.inputs import ArticleInput
    from kefu.kb.services import kb_article_create

    key = ctx.external_key(item, "article")
    if ctx.known("article", "", key) is not None:
        return "skipped"
    data = item.data
    section_id = parse_id(data.get("section_id"))
    article = kb_article_create(
        actor=ctx.actor,
        source=SOURCE,
        data=ArticleInput(
            section_id=section_id,
            title=str(data.get("title") or "").strip(),
            body=str(data.get("body") or ""),
            summary=str(data.get("summary") or ""),
            tags=split_list(data.get("tags")),
            status=str(data.get("status") or "draft").strip(),
            visibility=str(data.get("visibility") or "public").strip(),
            language=str(data.get("language") or "zh-hans").strip(),
        ),
    )
    ctx.remember("article", "", key, article.pk)
    return "imported"


def _moment(errors: dict[str, str], name: str, text: Any) -> Any:
    try:
        return parse_moment(text)
    except ValueError:
        errors[name] = _("Enter a time as ISO 8601, such as 2024-05-10T10:30:00+08:00.")
        return None


def _author_actor(ctx: Context, email: str, department_id: int) -> Actor:
    """The message's author when he is an agent of the ticket's department, else the system."""
    user = ctx.agent(email)
    if user is not None and agent_access(user).can_see_department(department_id):
        return Actor.agent(user)
    return ctx.actor


def _named(value: Any) -> int | str | None:
    """A status or priority as the ticket services take it: an id from an export, or a name."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value or "").strip() or None


def import_ticket(ctx: Context, item: Item) -> str:
    """A ticket with its messages in order, then its final status (a message on a closed ticket would
    reopen it, so the status is applied last, at the time of the last message)."""
    key = ctx.external_key(item, "ticket")
    if ctx.known("ticket", "", key) is not None:
        return "skipped"
    data = item.data
    errors = dict(item.errors)
    department_text = str(data.get("department") or "").strip()
    department_id = ctx.department_id(department_text) if department_text else None
    fallback = str(data.get("department_fallback") or "").strip()
    if department_id is None and fallback:
        department_text, department_id = fallback, ctx.department_id(fallback)
    if department_id is None:
        errors["department"] = _("Unknown department.") if department_text else _("This field is required.")
    email = str(data.get("contact_email") or "").strip()
    name = str(data.get("contact_name") or "").strip()
    if not email and not name:
        errors["contact_email"] = _("Give the contact's email address or name.")
    created_at = _moment(errors, "created_at", data.get("created_at"))
    assignee = ctx.agent(str(data.get("assignee_email") or ""))
    if str(data.get("assignee_email") or "").strip() and assignee is None:
        errors["assignee_email"] = _("No agent has this email address.")
    messages = []
    for number, message in enumerate(item.messages):
        kind = str(message.get("type") or "customer").strip().lower()
        if kind not in MESSAGE_KINDS:
            errors[f"messages.{number}.type"] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(MESSAGE_KINDS)
            }
        at = _moment(errors, f"messages.{number}.created_at", message.get("created_at"))
        messages.append({**message, "type": kind, "at": at})
    _refuse(errors)
    assert department_id is not None
    description = str(data.get("description") or "")
    if not description and messages and messages[0]["type"] == "customer":
        description = str(messages.pop(0).get("body") or "")
    ticket = ticket_create(
        actor=ctx.actor,
        source=SOURCE,
        data=TicketCreateInput(
            subject=str(data.get("subject") or "").strip(),
            department_id=department_id,
            contact=ContactRef(email=email, name=name) if email else ContactRef(name=name, email=""),
            description=description,
            priority=_named(data.get("priority")),
            type=str(data.get("type") or "").strip() or None,
            channel=str(data.get("channel") or "web").strip().lower() or "web",
            assignee_id=assignee.pk if assignee else None,
            category=str(data.get("category") or "").strip(),
            tags=split_list(data.get("tags")),
            custom_fields=_custom_fields("ticket", data),
            created_at=created_at,
        ),
    )
    last = created_at
    for message in messages:
        body = str(message.get("body") or "").strip() or "—"
        at = message["at"] or last
        last = at or last
        author = str(message.get("author") or "").strip()
        if message["type"] == "customer":
            ticket_receive(
                actor=ctx.actor,
                source=SOURCE,
                ticket=ticket,
                data=MessageInput(body=body, from_address=author or email, created_at=at),
            )
        elif message["type"] == "reply":
            ticket_reply(
                actor=_author_actor(ctx, author, department_id),
                source=SOURCE,
                ticket=ticket,
                data=ReplyInput(body=body, created_at=at),
            )
        else:
            ticket_comment(
                actor=_author_actor(ctx, author, department_id),
                source=SOURCE,
                ticket=ticket,
                data=CommentInput(body=body, is_public=message["type"] == "public_note", created_at=at),
            )
    status = _named(data.get("status"))
    if status is not None:
        ticket.refresh_from_db()
        ticket_update(actor=ctx.actor, source=SOURCE, ticket=ticket, changes={"status": status}, at=last)
    ctx.remember("ticket", "", key, ticket.pk)
    return "imported"


IMPORTERS: dict[str, Callable[[Context, Item], str]] = {
    "contacts": import_contact,
    "accounts": import_account,
    "tickets": import_ticket,
    "records": import_record,
    "articles": import_article,
}


def flag(value: Any) -> bool:
    return parse_bool(value) is True
