"""Merging duplicate contacts: one person who wrote from two addresses, or was typed in twice."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.contacts.hooks import run_merge_hooks
from kefu.contacts.models import Contact, ContactEmail
from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import Conflict, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.core.events import publish
from kefu.org import permissions
from kefu.org.selectors import agent_access

# What the survivor takes over from the merged contact where it has nothing of its own.
FILLED_FIELDS = ("name", "phone", "mobile", "language", "time_zone", "account_id", "owner_id")


def _lock_pair(keep: Contact, merge: Contact) -> tuple[Contact, Contact]:
    """Both rows, locked in id order so that merging A into B while B goes into A cannot deadlock."""
    rows = {
        row.pk: row
        for row in Contact.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk]).order_by("pk")
    }
    if keep.pk not in rows or merge.pk not in rows:
        raise Conflict(_("The contact no longer exists."), fields={"keep": _("Choose another contact.")})
    keep_row, merge_row = rows[keep.pk], rows[merge.pk]
    if merge_row.merged_into_id is not None:
        raise Conflict(_("This contact has already been merged."), fields={"merge": _("Already merged.")})
    if keep_row.merged_into_id is not None:
        raise Conflict(
            _("The contact to keep has been merged into another one."),
            fields={"keep": _("Already merged.")},
        )
    return keep_row, merge_row


def contact_merge(*, actor: Actor, source: Source, keep: Contact, merge: Contact) -> Contact:
    """Fold ``merge`` into ``keep`` and hide ``merge``; returns the survivor.

    The survivor receives every address, ticket, CC membership and tag of the merged contact and any
    profile field it had left empty. The merged row stays (with ``merged_into`` set) so that old links
    and the audit trail still resolve, but it disappears from lists and lookups.
    """
    if actor.is_agent and not agent_access(actor.user).can(permissions.CONTACT_MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))
    if keep.pk == merge.pk:
        raise ValidationFailed(
            _("A contact cannot be merged into itself."),
            fields={"merge": _("Choose a different contact.")},
        )
    with transaction.atomic():
        keep, merge = _lock_pair(keep, merge)
        claimed = Contact.objects.filter(pk=merge.pk, merged_into__isnull=True).update(merged_into=keep)
        if claimed != 1:
            raise Conflict(_("This contact has already been merged."), fields={"merge": _("Already merged.")})
        # Whoever had been merged into the loser now points straight at the survivor: one hop, always.
        Contact.objects.filter(merged_into=merge).update(merged_into=keep)

        filled = [field for field in FILLED_FIELDS if not getattr(keep, field) and getattr(merge, field)]
        for field in filled:
            setattr(keep, field, getattr(merge, field))
        moved = sorted(merge.addresses.values_list("address", flat=True))
        ContactEmail.objects.filter(contact=merge).update(contact=keep, is_primary=False)
        if not keep.email and merge.email in moved:
            keep.email = merge.email
            filled.append("email")
            ContactEmail.objects.filter(contact=keep, address=merge.email).update(is_primary=True)
        missing_custom = {k: v for k, v in merge.custom_fields.items() if k not in keep.custom_fields}
        if missing_custom:
            keep.custom_fields = {**keep.custom_fields, **missing_custom}
            filled.append("custom_fields")
        keep.save()
        keep.tags.add(*merge.tags.all())

        # The tickets app moves the tickets and their CCs (see TicketsConfig.ready); audited as "tickets".
        moved_elsewhere = run_merge_hooks(actor=actor, source=source, from_contact=merge, to_contact=keep)
        audit_record(
            actor=actor,
            source=source,
            action="contact.merged",
            obj=keep,
            changes={
                "merged": {"id": merge.pk, "name": merge.name, "email": merge.email},
                "addresses": moved,
                **moved_elsewhere,
                "filled": sorted(filled),
            },
        )
        audit_record(
            actor=actor, source=source, action="contact.merged_into", obj=merge, changes={"into": keep.pk}
        )
        publish(EventType.CONTACT_MERGED, contact_id=keep.pk, merged_id=merge.pk, source=source.value)
    return keep
