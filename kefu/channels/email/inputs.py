"""Framework-free inputs for the email channel's services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MailboxInput:
    """A mailbox's settings as an administrator entered them.

    ``password`` and ``smtp_password`` of ``None`` keep the stored secret (forms never show it back).
    """

    name: str
    address: str
    department_id: int
    display_name: str = ""
    brand_id: int | None = None
    is_active: bool = True
    protocol: str = "push"
    host: str = ""
    port: int | None = None
    security: str = "ssl"
    username: str = ""
    password: str | None = None
    folder: str = "INBOX"
    poll_interval: int = 60
    after_import: str = "keep"
    move_to_folder: str = ""
    smtp_host: str = ""
    smtp_port: int | None = None
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password: str | None = None
    reopen_within_days: int = 14
    auto_ack_enabled: bool = False
    auto_ack_subject_zh: str = ""
    auto_ack_body_zh: str = ""
    auto_ack_subject_en: str = ""
    auto_ack_body_en: str = ""
