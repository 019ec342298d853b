"""Mailboxes and the raw messages that pass through them, in and out."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.fields import EncryptedTextField


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (plain text)")


class Mailbox(models.Model):
    """An address customers write to: where its mail is fetched from and how replies leave it."""

    class Protocol(models.TextChoices):
        PUSH = "push", _("Delivered to Kefu (SMTP listener, pipe or HTTP)")
        IMAP = "imap", _("IMAP polling")
        POP3 = "pop3", _("POP3 polling")

    class AfterImport(models.TextChoices):
        KEEP = "keep", _("Keep on the server")
        MOVE = "move", _("Move to a folder")
        DELETE = "delete", _("Delete from the server")

    name = models.CharField(_("name"), max_length=100)
    address = models.EmailField(_("address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="mailboxes")
    brand = models.ForeignKey(
        "org.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="mailboxes"
    )
    is_active = models.BooleanField(_("active"), default=True)

    protocol = models.CharField(_("intake"), max_length=8, choices=Protocol.choices, default=Protocol.PUSH)
    host = models.CharField(_("server"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    security = models.CharField(_("security"), max_length=8, choices=Security.choices, default=Security.SSL)
    username = models.CharField(_("user name"), max_length=255, blank=True)
    password = EncryptedTextField(_("password"), blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    poll_interval = models.PositiveIntegerField(_("poll every (seconds)"), default=60)
    after_import = models.CharField(
        _("after import"), max_length=8, choices=AfterImport.choices, default=AfterImport.KEEP
    )
    move_to_folder = models.CharField(_("move to folder"), max_length=255, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    intake_secret_digest = models.CharField(max_length=64, blank=True)

    smtp_host = models.CharField(
        _("SMTP server"),
        max_length=255,
        blank=True,
        help_text=_("Empty: use the global outgoing mail settings."),
    )
    smtp_port = models.PositiveIntegerField(_("SMTP port"), null=True, blank=True)
    smtp_security = models.CharField(
        _("SMTP security"), max_length=8, choices=Security.choices, default=Security.STARTTLS
    )
    smtp_username = models.CharField(_("SMTP user name"), max_length=255, blank=True)
    smtp_password = EncryptedTextField(_("SMTP password"), blank=True)

    reopen_within_days = models.PositiveIntegerField(
        _("reopen closed tickets within (days)"),
        default=14,
        help_text=_("A reply to a ticket closed longer ago opens a new ticket linked to the old one."),
    )
    auto_ack_enabled = models.BooleanField(_("send an acknowledgement"), default=False)
    auto_ack_subject_zh = models.CharField(_("acknowledgement subject (Chinese)"), max_length=255, blank=True)
    auto_ack_body_zh = models.TextField(_("acknowledgement body (Chinese)"), blank=True)
    auto_ack_subject_en = models.CharField(_("acknowledgement subject (English)"), max_length=255, blank=True)
    auto_ack_body_en = models.TextField(_("acknowledgement body (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.address


class Pop3SeenMessage(models.Model):
    """A POP3 UIDL already imported from a mailbox: POP3 has no other memory of what we fetched."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="pop3_seen")
    uidl = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "uidl"], name="pop3seen_unique_uidl")]

    def __str__(self) -> str:
        return self.uidl


class InboundMessage(models.Model):
    """A raw message exactly as it arrived, stored before anything parses it, and what became of it."""

    class Source(models.TextChoices):
        IMAP = "imap", _("IMAP")
        POP3 = "pop3", _("POP3")
        SMTP = "smtp", _("SMTP listener")
        PIPE = "pipe", _("MTA pipe")
        HTTP = "http", _("HTTP")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        IMPORTED = "imported", _("Imported")
        DUPLICATE = "duplicate", _("Duplicate")
        IGNORED = "ignored", _("Ignored")
        BOUNCE = "bounce", _("Delivery report")
        QUARANTINED = "quarantined", _("Quarantined")

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField(_("received"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    is_spam = models.BooleanField(_("spam"), default=False)
    is_automated = models.BooleanField(
        _("automated"),
        default=False,
        help_text=_("Sent by a machine (auto-reply, mailer daemon, our own address): never auto-answered."),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    thread = models.ForeignKey(
        "tickets.Thread", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_state_received_idx"),
            models.Index(fields=["sender", "received_at"], name="inbound_sender_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.state}"


class OutboundEmail(models.Model):
    """The delivery of one reply by email: claimed before sending so that a retried task never sends twice."""

    thread = models.OneToOneField("tickets.Thread", on_delete=models.CASCADE, related_name="outbound_email")
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_emails"
    )
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the sending task was last queued, or when its next retry is due."),
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    subject = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            "The subject to send instead of the ticket's (an automatic acknowledgement's own subject)."
        ),
    )

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")

    def __str__(self) -> str:
        return f"thread {self.thread_id}"
