"""Who did something, and through which door it came in.

Every write service takes an ``actor`` and a ``source``: the ticket event log and the audit log record
both, so the timeline can say "张伟 changed priority · via email" and automation can tell a rule's own
change from a person's. ``core`` knows no domain app, so an agent actor carries its user object opaquely.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class ActorKind(enum.StrEnum):
    AGENT = "agent"
    CONTACT = "contact"
    RULE = "rule"
    BLUEPRINT = "blueprint"
    SLA = "sla"
    SYSTEM = "system"


class Source(enum.StrEnum):
    WEB = "web"
    API = "api"
    EMAIL = "email"
    PORTAL = "portal"
    WIDGET = "widget"
    AUTOMATION = "automation"
    SCHEDULER = "scheduler"
    IMPORT = "import"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: int | None = None
    name: str = ""
    user: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def agent(cls, user: Any) -> Actor:
        return cls(kind=ActorKind.AGENT, id=user.pk, name=user.get_full_name() or user.email, user=user)

    @classmethod
    def contact(cls, contact: Any) -> Actor:
        return cls(kind=ActorKind.CONTACT, id=contact.pk, name=contact.name or contact.email)

    @classmethod
    def rule(cls, rule_id: int, name: str = "") -> Actor:
        return cls(kind=ActorKind.RULE, id=rule_id, name=name or f"rule {rule_id}")

    @classmethod
    def sla(cls, policy_id: int, name: str = "") -> Actor:
        return cls(kind=ActorKind.SLA, id=policy_id, name=name or f"SLA {policy_id}")

    @classmethod
    def blueprint(cls, blueprint_id: int, name: str = "") -> Actor:
        return cls(kind=ActorKind.BLUEPRINT, id=blueprint_id, name=name or f"blueprint {blueprint_id}")

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=ActorKind.SYSTEM, name="system")

    @property
    def is_agent(self) -> bool:
        return self.kind is ActorKind.AGENT

    @property
    def is_contact(self) -> bool:
        return self.kind is ActorKind.CONTACT
