"""Framework-free inputs for contact and account services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ContactInput:
    name: str = ""
    email: str = ""
    other_emails: list[str] = field(default_factory=list)
    phone: str = ""
    mobile: str = ""
    account_id: int | None = None
    language: str = ""
    time_zone: str = ""
    tags: list[str] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    owner_id: int | None = None


@dataclass
class AccountInput:
    name: str = ""
    website: str = ""
    phone: str = ""
    industry: str = ""
    custom_fields: dict[str, Any] = field(default_factory=dict)
