"""Exports: the objects an agent may see, to CSV or XLSX, streamed; the whole installation as an archive.

Rows are read in keyset chunks (``iterator(chunk_size=…)`` and ids of a chunk at a time for the
conversation), so memory does not grow with the data. Ticket exports list only ``visible_tickets`` of
the agent who asked. Columns carry the import's target names, so an export can be imported again.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.contacts.models import Account, Contact
from kefu.core.actors import Actor, ActorKind, Source
from kefu.core.audit import audit_record
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.customfields.selectors import field_specs
from kefu.modules.models import Record
from kefu.modules.selectors import (
    Level,
    module_definition,
    module_definitions,
    module_level,
    record_values,
    ticket_links_of,
)
from kefu.org import permissions
from kefu.org.models import User
from kefu.org.selectors import agent_access
from kefu.tickets.models import Comment, Thread, Ticket
from kefu.tickets.selectors import visible_tickets
from kefu.transfer.models import ExportJob, JobStatus
from kefu.transfer.writers import write_table

CHUNK = 1000
EXPORT_KINDS = ("contacts", "accounts", "tickets", "records", "articles")
ARCHIVE_VERSION = 1


def export_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chunks(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in queryset.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _custom_keys(module: str) -> list[str]:
    return [spec.key for spec in field_specs(module)]


def _contacts(user: User | None) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]]]:
    keys = _custom_keys("contact")
    header = ["external_id", "name", "email", "phone", "mobile", "account", "language", "time_zone", "tags"]
    queryset = (
        Contact.objects.filter(merged_into__isnull=True)
        .select_related("account")
        .prefetch_related("tags")
        .order_by("pk")
    )

    def rows(contact: Contact) -> list[list[Any]]:
        tags = ", ".join(sorted(tag.name for tag in contact.tags.all()))
        base = [
            f"kefu-contact-{contact.pk}",
            contact.name,
            contact.email,
            contact.phone,
            contact.mobile,
            contact.account.name if contact.account else "",
            contact.language,
            contact.time_zone,
            tags,
        ]
        return [base + [contact.custom_fields.get(key) for key in keys]]

    return header + [f"cf.{key}" for key in keys], queryset, rows


def _accounts(user: User | None) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]]]:
    keys = _custom_keys("account")
    header = ["external_id", "name", "website", "phone", "industry"]

    def rows(account: Account) -> list[list[Any]]:
        base = [f"kefu-account-{account.pk}", account.name, account.website, account.phone, account.industry]
        return [base + [account.custom_fields.get(key) for key in keys]]

    return header + [f"cf.{key}" for key in keys], Account.objects.order_by("pk"), rows


TICKET_HEADER = [
    "external_id",
    "subject",
    "description",
    "department",
    "status",
    "priority",
    "type",
    "channel",
    "contact_email",
    "contact_name",
    "assignee_email",
    "tags",
    "category",
    "created_at",
    "message_type",
    "message_body",
    "message_author",
    "message_created_at",
]


def _ticket_rows(tickets: list[Ticket], keys: list[str]) -> Iterator[list[Any]]:
    """A row per ticket, then a row per message (threads and comments in time order), as imports read."""
    ids = [ticket.pk for ticket in tickets]
    messages: dict[int, list[tuple[Any, str, str, str]]] = {pk: [] for pk in ids}
    # A scheduled reply has not been sent: exported (and imported back) it would pass for one that was.
    threads = (
        Thread.objects.filter(ticket_id__in=ids, scheduled=False)
        .select_related("author_user")
        .order_by("created_at", "pk")
    )
    for thread in threads:
        kind = "customer" if thread.direction == "in" else "reply"
        author = thread.author_user.email if thread.author_user else thread.from_address
        messages[thread.ticket_id].append((thread.created_at, kind, thread.body_text, author))
    for comment in (
        Comment.objects.filter(ticket_id__in=ids).select_related("author").order_by("created_at", "pk")
    ):
        kind = "public_note" if comment.is_public else "note"
        messages[comment.ticket_id].append(
            (comment.created_at, kind, comment.body_text, comment.author.email if comment.author else "")
        )
    for ticket in tickets:
        key = f"kefu-ticket-{ticket.number}"
        tags = ", ".join(sorted(tag.name for tag in ticket.tags.all()))
        yield [
            key,
            ticket.subject,
            "",
            ticket.department.code,
            ticket.status.name_en or ticket.status.name,
            ticket.priority.name_en or ticket.priority.name if ticket.priority else "",
            ticket.type.name if ticket.type is not None else "",
            ticket.channel,
            ticket.contact.email if ticket.contact else "",
            ticket.contact.name if ticket.contact else "",
            ticket.assignee.email if ticket.assignee else "",
            tags,
            ticket.category,
            ticket.created_at,
            "",
            "",
            "",
            "",
        ] + [ticket.custom_fields.get(k) for k in keys]
        for at, kind, body, author in sorted(messages[ticket.pk], key=lambda message: message[0]):
            yield [key] + [""] * 13 + [kind, body, author, at] + [""] * len(keys)


def _tickets(user: User | None) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]]]:
    keys = _custom_keys("ticket")
    queryset = (
        (visible_tickets(user) if user is not None else Ticket.objects.filter(deleted_at__isnull=True))
        .select_related("department", "status", "priority", "type", "contact", "assignee")
        .prefetch_related("tags")
        .order_by("pk")
    )
    return (
        TICKET_HEADER + [f"cf.{key}" for key in keys],
        queryset,
        lambda chunk: list(_ticket_rows(chunk, keys)),
    )


def _records(
    user: User | None, module_key: str
) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]]]:
    definition = module_definition(module_key)
    if definition is None:
        raise NotFound(_("No such module."), fields={"module": _("No such module.")})
    header = ["external_id"] + [f"values.{field.key}" for field in definition.fields]

    def rows(chunk: list[Record]) -> list[list[Any]]:
        links = ticket_links_of(record.pk for record in chunk)
        if user is not None:
            seen = set(
                visible_tickets(user)
                .filter(pk__in={pk for ids in links.values() for pk in ids})
                .values_list("pk", flat=True)
            )
            links = {key: [pk for pk in ids if pk in seen] for key, ids in links.items()}
        found = []
        for record in chunk:
            values = record_values(record, definition, links)
            found.append(
                [record.external_id or f"kefu-record-{record.pk}"]
                + [values.get(field.key) for field in definition.fields]
            )
        return found

    return header, Record.objects.filter(module_id=definition.id).order_by("pk"), rows


def _articles(user: User | None) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]]]:
    from kefu.kb.models import Article

    header = [
        "external_id",
        "title",
        "body",
        "summary",
        "section_id",
        "tags",
        "status",
        "visibility",
        "language",
    ]

    def rows(article: Any) -> list[list[Any]]:
        return [
            [
                f"kefu-article-{article.pk}",
                article.title,
                article.body,
                article.summary,
                article.section_id,
                ", ".join(article.tags or []) if isinstance(article.tags, list) else "",
                article.status,
                article.visibility,
                article.language,
            ]
        ]

    return header, Article.objects.order_by("pk"), rows


def _source(
    kind: str, user: User | None, module_key: str
) -> tuple[list[str], QuerySet[Any], Callable[[Any], list[list[Any]]], bool]:
    """``(header, queryset, rows of one object or chunk, by_chunk)``."""
    if kind == "contacts":
        return (*_contacts(user), False)
    if kind == "accounts":
        return (*_accounts(user), False)
    if kind == "tickets":
        return (*_tickets(user), True)
    if kind == "records":
        return (*_records(user, module_key), True)
    return (*_articles(user), False)


def _stream(
    kind: str, user: User | None, module_key: str, tick: Callable[[int], object] | None
) -> tuple[list[str], Iterator[list[Any]], int]:
    header, queryset, rows, by_chunk = _source(kind, user, module_key)
    total = queryset.count()

    def generate() -> Iterator[list[Any]]:
        done = 0
        for chunk in _chunks(queryset):
            if by_chunk:
                yield from rows(chunk)
            else:
                for obj in chunk:
                    yield from rows(obj)
            done += len(chunk)
            if tick:
                tick(done)

    return header, generate(), total


def _check_export(actor: Actor, kind: str, module_key: str) -> None:
    if actor.kind is ActorKind.SYSTEM:
        return
    access = agent_access(actor.user if actor.kind is ActorKind.AGENT else None)
    if not access.is_agent:
        raise PermissionDenied(_("Only agents can export."))
    if kind in ("contacts", "accounts") and not access.can(permissions.CONTACT_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))
    if kind == "records":
        definition = module_definition(module_key)
        if definition is None or module_level(actor.user, definition.id) < Level.READ:
            raise NotFound(_("No such module."), fields={"module": _("No such module.")})


def export_job_create(
    *, actor: Actor, source: Source, kind: str, fmt: str, module_key: str = ""
) -> ExportJob:
    errors = {}
    if kind not in EXPORT_KINDS:
        errors["kind"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(EXPORT_KINDS)}
    if fmt not in ExportJob.Format.values:
        errors["format"] = _("Choose one of: %(choices)s.") % {"choices": "csv, xlsx"}
    if errors:
        raise ValidationFailed(_("The export is not valid."), fields=errors)
    if actor.kind is not ActorKind.AGENT:
        raise PermissionDenied(_("Only agents can export."))
    _check_export(actor, kind, module_key)
    job = ExportJob.objects.create(kind=kind, format=fmt, module_key=module_key, requested_by=actor.user)
    audit_record(
        actor=actor, source=source, action="export.created", obj=job, changes={"kind": kind, "format": fmt}
    )
    return job


def export_run(job_id: int) -> ExportJob:
    """Write the job's file, as its requester may see the data, updating the progress as it goes."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        _check_export(Actor.agent(job.requested_by), job.kind, job.module_key)
        header, rows, total = _stream(
            job.kind,
            job.requested_by,
            job.module_key,
            lambda done: ExportJob.objects.filter(pk=job.pk).update(processed_rows=done),
        )
        ExportJob.objects.filter(pk=job.pk).update(total_rows=total)
        name = f"{job.kind}{'-' + job.module_key if job.module_key else ''}-{job.pk}.{job.format}"
        path = export_folder() / name
        write_table(path, job.format, header, rows)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, path=str(path), processed_rows=total, finished_at=timezone.now()
        )
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(exc)[:2000])
        raise
    job.refresh_from_db()
    return job


def _definitions_json() -> str:
    modules = [
        {
            "key": definition.key,
            "name": definition.name,
            "name_en": definition.name_en,
            "fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "label_en": f.label_en,
                    "type": f.field_type,
                    "required": f.is_required,
                    "options": f.choices,
                    "lookup_module": f.lookup_module,
                }
                for f in definition.fields
            ],
        }
        for definition in module_definitions().values()
    ]
    return json.dumps(modules, ensure_ascii=False, indent=2)


def export_archive(path: Path, *, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """The whole installation's data as a ZIP of CSV files with a manifest (docs/customisation.md)."""
    counts: dict[str, int] = {}
    folder = path.parent / f".{path.name}.parts"
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[str, str]] = []
    plan = [("contacts", ""), ("accounts", ""), ("tickets", "")]
    plan += [("records", key) for key in module_definitions()]
    if "kefu.kb" in settings.INSTALLED_APPS:
        plan.append(("articles", ""))
    for kind, module_key in plan:
        name = f"records-{module_key}.csv" if module_key else f"{kind}.csv"
        header, rows, _total = _stream(kind, None, module_key, None)
        counts[name] = write_table(folder / name, "csv", header, rows)
        parts.append((name, kind))
        if progress:
            progress(name, counts[name])
    manifest = {
        "format": "kefu-export",
        "version": ARCHIVE_VERSION,
        "created_at": timezone.now().isoformat(),
        "files": [{"name": name, "kind": kind, "rows": counts[name]} for name, kind in parts],
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("modules.json", _definitions_json())
        for name, _kind in parts:
            archive.write(folder / name, name)
            (folder / name).unlink()
    folder.rmdir()
    return counts


def export_start(*, job: ExportJob) -> ExportJob:
    """Queue the export for the worker, once its transaction commits."""
    from django.db import transaction

    from kefu.transfer.tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job
