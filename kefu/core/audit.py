"""Writing the audit log. Called by services inside their transaction, never by views."""

from __future__ import annotations

from typing import Any

from kefu.core.actors import Actor, Source
from kefu.core.models import AuditEntry


def audit_record(
    *,
    actor: Actor,
    source: Source,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        actor_name=actor.name[:200],
        source=source.value,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        changes=changes or {},
    )
