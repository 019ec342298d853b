"""Installation-wide preferences (the single ``HelpdeskSettings`` row)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.actors import Actor, Source
from kefu.core.audit import audit_record
from kefu.core.errors import ValidationFailed
from kefu.org import permissions
from kefu.org.models import HelpdeskSettings, validate_time_zone
from kefu.org.services.common import LANGUAGES, require_permission


def helpdesk_settings_update(
    *, actor: Actor, source: Source, ticket_number_prefix: str, time_zone: str, default_language: str
) -> HelpdeskSettings:
    """Change the ticket number prefix, the installation's time zone and the default language.

    The time zone and language are what new agents start with and what people without a profile see.
    """
    require_permission(actor, permissions.SETTINGS_MANAGE)
    errors: dict[str, str] = {}
    ticket_number_prefix = ticket_number_prefix.strip()
    if len(ticket_number_prefix) > 16:
        errors["ticket_number_prefix"] = _("Enter at most 16 characters.")
    try:
        validate_time_zone(time_zone)
    except DjangoValidationError:
        errors["time_zone"] = _("Unknown time zone.")
    if default_language not in LANGUAGES:
        errors["default_language"] = _("Unsupported language.")
    if errors:
        raise ValidationFailed(_("The settings are not valid."), fields=errors)
    row = HelpdeskSettings.load()
    after = {
        "ticket_number_prefix": ticket_number_prefix,
        "time_zone": time_zone,
        "default_language": default_language,
    }
    changes = {
        field: [getattr(row, field), value] for field, value in after.items() if getattr(row, field) != value
    }
    if not changes:
        return row
    with transaction.atomic():
        for field, value in after.items():
            setattr(row, field, value)
        row.save(update_fields=list(after))
        audit_record(actor=actor, source=source, action="helpdesk_settings.updated", obj=row, changes=changes)
    return row
