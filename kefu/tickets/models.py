"""Tickets and their conversation: the records every channel, rule and report works on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin
from kefu.tickets.criteria import empty_criteria


class StatusType(models.TextChoices):
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEB = "web", _("Web")
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social")
    API = "api", _("API")
    WIDGET = "widget", _("Widget")
    FORUM = "forum", _("Forum")


class Status(BilingualNameMixin):
    """A ticket status an administrator configured; its ``status_type`` is what SLAs and reports read."""

    status_type = models.CharField(_("status type"), max_length=16, choices=StatusType.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_default = models.BooleanField(_("default for new tickets"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="tickets_status_unique_name")]


class Priority(BilingualNameMixin):
    """A priority level with its colour; ``order`` 0 is the most urgent."""

    colour = models.CharField(_("colour"), max_length=7, default="#6c757d")
    order = models.PositiveIntegerField(_("order"), default=0)
    is_default = models.BooleanField(_("default for new tickets"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="tickets_priority_unique_name")]


class TicketType(BilingualNameMixin):
    """What kind of request a ticket is (question, problem, request, incident …): an editable list.

    Optional on a ticket: a row marked default is given to new tickets that name no type; without a
    default, new tickets have no type until someone sets one.
    """

    order = models.PositiveIntegerField(_("order"), default=0)
    is_default = models.BooleanField(_("default for new tickets"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["name"], name="tickets_type_unique_name")]


class TicketNumberSequence(models.Model):
    """The counter behind ticket numbers.

    Incremented with an UPDATE in the same transaction that inserts the ticket: the row lock serialises
    concurrent creators on PostgreSQL, and a rolled-back creation rolls the counter back too, so numbers
    are gap-free and never reused.
    """

    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_value)


class DepartmentTicketSequence(models.Model):
    """A department's own counter, behind ``{DEPTSEQ:n}`` in the ticket number format.

    Claimed like ``TicketNumberSequence`` (an UPDATE in the creating transaction), and only by tickets
    whose number uses it, so each department's sequence is gap-free too.
    """

    department = models.OneToOneField(
        "org.Department", on_delete=models.CASCADE, primary_key=True, related_name="ticket_sequence"
    )
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_value)


class TicketNumberFormat(models.Model):
    """The installation's ticket number format (one row), e.g. ``AS-{YYYY}{MM}{DD}-{SEQ:5}``.

    A new ticket's ``display_number`` is rendered from it once, when the ticket is created; changing the
    format never renumbers existing tickets, so old numbers keep working everywhere.
    """

    format = models.CharField(_("ticket number format"), max_length=100, default="{SEQ}")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    def __str__(self) -> str:
        return self.format


class Ticket(models.Model):
    """One customer request, from first message to closure, whatever channel it came through."""

    number = models.BigIntegerField(_("number"), unique=True)
    display_number = models.CharField(
        _("ticket number"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The number people see, from the number format when the ticket was created."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="tickets")
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    contact = models.ForeignKey("contacts.Contact", on_delete=models.PROTECT, related_name="tickets")
    account = models.ForeignKey(
        "contacts.Account", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    brand = models.ForeignKey(
        "org.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="tickets")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="tickets")
    type = models.ForeignKey(
        TicketType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("type"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    category = models.CharField(_("category"), max_length=100, blank=True)
    sub_category = models.CharField(_("sub-category"), max_length=100, blank=True)
    product = models.CharField(_("product"), max_length=100, blank=True)
    tags = models.ManyToManyField("core.Tag", blank=True, related_name="tickets")
    language = models.CharField(_("language"), max_length=16, blank=True)
    # The SLA state, written by the SLA app through ``services.sla`` (never by a client or an agent):
    # the due dates of the running timers (``None`` while paused or when no timer runs), the policy that
    # applies (an id, not a key: the tickets app knows nothing of policies) and, per target, the state
    # the SLA app last computed (``{"first_response": {"due_at", "met", "breached", "business"}, …}``).
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due_at = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_policy_id = models.BigIntegerField(_("SLA policy"), null=True, blank=True)
    sla_paused = models.BooleanField(_("SLA paused"), default=False)
    sla = models.JSONField(_("SLA state"), default=dict, blank=True)
    first_responded_at = models.DateTimeField(_("first responded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_tickets")
    cc_contacts = models.ManyToManyField(
        "contacts.Contact", blank=True, related_name="cc_tickets", verbose_name=_("CC contacts")
    )
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
        help_text=_("The closed ticket a customer replied to after the reopen window."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
        help_text=_("The ticket this one was merged into: its conversation and history live there now."),
    )
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="split_tickets",
        verbose_name=_("split from"),
        help_text=_("The ticket a message of which became this ticket."),
    )
    is_spam = models.BooleanField(_("spam"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    first_thread: Thread | None = None
    """Not a column: ``ticket_create`` leaves the first message's thread here, so no caller reads it again."""

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["created_at", "id"], name="ticket_created_idx"),
            models.Index(fields=["updated_at", "id"], name="ticket_updated_idx"),
            models.Index(fields=["department", "created_at", "id"], name="ticket_dept_created_idx"),
            models.Index(fields=["assignee", "created_at", "id"], name="ticket_assignee_created_idx"),
            models.Index(fields=["status", "created_at", "id"], name="ticket_status_created_idx"),
            models.Index(fields=["priority", "created_at", "id"], name="ticket_priority_created_idx"),
            models.Index(fields=["contact", "created_at"], name="ticket_contact_created_idx"),
            models.Index(fields=["account", "created_at"], name="ticket_account_created_idx"),
            # The trash view and the purge task's candidates: the few trashed tickets (a partial index).
            models.Index(
                fields=["deleted_at"], name="ticket_trashed_idx", condition=models.Q(deleted_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_number} {self.subject}"

    @property
    def shown_number(self) -> str:
        """The number people see: ``display_number``, or the plain number for a ticket without one."""
        return self.display_number or str(self.number)


class Thread(models.Model):
    """A public message on a ticket, from the customer (inbound) or to them (outbound).

    An outbound thread may be *scheduled*: written now, sent at ``send_at`` by a beat task. Until then
    it is the agents' draft: no event, no email, not in the customer's view; once sent it is a reply
    like any other (``created_at`` becomes the moment it went).
    """

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the customer")
        OUTBOUND = "out", _("To the customer")

    class Delivery(models.TextChoices):
        NONE = "", _("Not sent by email")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_ADDRESS = "no_addr", _("Not delivered: no address")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="threads")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    to = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_html = models.TextField(_("body (HTML)"))
    body_text = models.TextField(_("body (text)"))
    full_html = models.TextField(
        _("whole message (HTML)"),
        blank=True,
        help_text=_("The whole message as received, when the body shows only its new text."),
    )
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    delivery_status = models.CharField(max_length=8, choices=Delivery.choices, blank=True, default="")
    delivery_error = models.TextField(blank=True)
    scheduled = models.BooleanField(
        _("scheduled"),
        default=False,
        help_text=_("A reply waiting for its time: not sent to the customer, not shown to them."),
    )
    send_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("When a scheduled reply goes (or went).")
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="thread_ticket_created_idx"),
            # The beat task's candidates: the few scheduled replies, by time (a partial index).
            models.Index(
                fields=["send_at"], name="thread_scheduled_due_idx", condition=models.Q(scheduled=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.pk}"


class Comment(models.Model):
    """A note on a ticket: internal (agents only) or public (the customer sees it in the portal)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_html = models.TextField(_("body (HTML)"))
    body_text = models.TextField(_("body (text)"))
    is_public = models.BooleanField(_("public"), default=False)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_created_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id}/c{self.pk}"


class Attachment(models.Model):
    """A file on a ticket, optionally tied to the thread or comment it came with."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="tickets/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=255)
    sha256 = models.CharField(max_length=64)
    content_id = models.CharField(
        max_length=255, blank=True, help_text=_("The Content-ID an email body uses to show this file inline.")
    )
    is_inline = models.BooleanField(_("inline"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketEvent(models.Model):
    """One changed field of a ticket: the timeline, the audit trail for tickets and the input for metrics.

    ``action`` is the ``kefu.core.event_types.EventType`` of the change-set the row belongs to; the rows
    of one service call share ``change_set``.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("time"))
    actor_kind = models.CharField(max_length=16)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=16)
    action = models.CharField(max_length=32)
    field = models.CharField(max_length=64, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    change_set = models.CharField(
        max_length=32, blank=True, help_text=_("The rows one service call wrote share this id.")
    )
    caused_by = models.CharField(
        max_length=32, blank=True, help_text=_("The change-set whose rules made this change.")
    )

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="ticketevent_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.field}"


class SavedView(models.Model):
    """A ticket list an agent saved: conditions, columns and sort, private or shared with every agent.

    ``criteria`` are the criteria engine's JSON (``{"all": [{"field": …, "op": …, "value": …}]}``),
    the same definitions rules use, so what the view shows is what a rule with those conditions would
    match. ``base`` narrows a system view ("All open"); ``due`` is the list's due-date filter (today is
    the viewer's own day). The assignee value ``"me"`` means the agent looking at the list.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ticket_views")
    name = models.CharField(_("name"), max_length=100)
    is_shared = models.BooleanField(_("shared with all agents"), default=False)
    criteria = models.JSONField(_("conditions"), default=empty_criteria, blank=True)
    base = models.CharField(_("based on view"), max_length=20, blank=True)
    due = models.CharField(_("due"), max_length=10, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    sort = models.CharField(_("sort"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TicketRead(models.Model):
    """When an agent last opened a ticket: what the list compares with ``updated_at`` to mark unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="reads")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "ticket"], name="ticketread_unique_user_ticket")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.ticket_id}"


class TicketPresence(models.Model):
    """An agent who has a ticket open right now, and whether they are typing a reply.

    Each open ticket page sends a heartbeat every few seconds; a row older than the stale limit in
    ``tickets.presence`` means the agent left. Only the latest heartbeat per agent and ticket is kept.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_replying = models.BooleanField(_("replying"), default=False)
    last_seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("ticket presence")
        verbose_name_plural = _("ticket presences")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticketpresence_unique_ticket_user")
        ]
        indexes = [models.Index(fields=["ticket", "last_seen_at"], name="ticketpresence_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.ticket_id}"


class TicketMerge(models.Model):
    """One ticket merged into another: what moved, so that the merge can be undone for a while.

    ``moved`` lists the ids of the rows that changed ticket (threads, comments, attachments, events) and
    what the merge added to the target (CC contacts, followers, tags, children), nothing else: an undo
    moves back exactly those and leaves whatever happened on the target since.
    """

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="merges_in")
    moved = models.JSONField(default=dict)
    source_status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"))
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket merge")
        verbose_name_plural = _("ticket merges")
        indexes = [models.Index(fields=["source", "merged_at"], name="ticketmerge_source_idx")]

    def __str__(self) -> str:
        return f"{self.source_id}→{self.target_id}"
