"""Forms of the mail settings pages. They parse shapes; the services own the rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kefu.channels.email.autoack import PLACEHOLDERS
from kefu.channels.email.inputs import MailboxInput
from kefu.channels.email.models import Mailbox, Security
from kefu.org.forms import StyledForm

# Where a service's field names differ from the form's.
FIELD_MAP = {"department_id": "department", "brand_id": "brand"}

_PLACEHOLDER_HELP = format_lazy(
    _("You can use: {names}."), names=", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)
)


class MailboxForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.EmailField(label=_("Address"), max_length=254)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        required=False,
        help_text=_("Replies are sent as “Agent name via Display name”."),
    )
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, choices=())
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int, choices=(), required=False, empty_value=None)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    protocol = forms.ChoiceField(label=_("Intake"), choices=Mailbox.Protocol.choices)
    host = forms.CharField(label=_("Server"), max_length=255, required=False)
    port = forms.IntegerField(
        label=_("Port"), required=False, min_value=1, max_value=65535, help_text=_("Empty: the usual port.")
    )
    security = forms.ChoiceField(label=_("Security"), choices=Security.choices, initial=Security.SSL)
    username = forms.CharField(label=_("User name"), max_length=255, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    folder = forms.CharField(label=_("Folder"), max_length=255, required=False, initial="INBOX")
    poll_interval = forms.IntegerField(
        label=_("Poll every (seconds)"), min_value=30, max_value=86_400, initial=60
    )
    after_import = forms.ChoiceField(label=_("After import"), choices=Mailbox.AfterImport.choices)
    move_to_folder = forms.CharField(label=_("Move to folder"), max_length=255, required=False)

    smtp_host = forms.CharField(
        label=_("SMTP server"),
        max_length=255,
        required=False,
        help_text=_("Empty: use the global outgoing mail settings."),
    )
    smtp_port = forms.IntegerField(label=_("SMTP port"), required=False, min_value=1, max_value=65535)
    smtp_security = forms.ChoiceField(
        label=_("SMTP security"), choices=Security.choices, initial=Security.STARTTLS
    )
    smtp_username = forms.CharField(label=_("SMTP user name"), max_length=255, required=False)
    smtp_password = forms.CharField(
        label=_("SMTP password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    reopen_within_days = forms.IntegerField(
        label=_("Reopen closed tickets within (days)"), min_value=0, max_value=3650, initial=14
    )
    auto_ack_enabled = forms.BooleanField(label=_("Send an acknowledgement to new tickets"), required=False)
    auto_ack_subject_zh = forms.CharField(
        label=_("Acknowledgement subject (Chinese)"),
        max_length=255,
        required=False,
        help_text=_PLACEHOLDER_HELP,
    )
    auto_ack_body_zh = forms.CharField(
        label=_("Acknowledgement body (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Empty: the built-in text."),
    )
    auto_ack_subject_en = forms.CharField(
        label=_("Acknowledgement subject (English)"),
        max_length=255,
        required=False,
        help_text=_PLACEHOLDER_HELP,
    )
    auto_ack_body_en = forms.CharField(
        label=_("Acknowledgement body (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Empty: the built-in text."),
    )

    def __init__(
        self,
        *args: Any,
        department_choices: Iterable[tuple[int, str]],
        brand_choices: Iterable[tuple[int, str]],
        has_password: bool = False,
        has_smtp_password: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = list(department_choices)
        self.fields["brand"].choices = [("", _("(none)")), *brand_choices]
        keep = _("A password is stored; leave empty to keep it.")
        if has_password:
            self.fields["password"].help_text = keep
        if has_smtp_password:
            self.fields["smtp_password"].help_text = keep

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the sections the page shows."""
        sections = [
            (_("Mailbox"), ["name", "address", "display_name", "department", "brand", "is_active"]),
            (
                _("Incoming mail"),
                [
                    "protocol",
                    "host",
                    "port",
                    "security",
                    "username",
                    "password",
                    "folder",
                    "poll_interval",
                    "after_import",
                    "move_to_folder",
                    "reopen_within_days",
                ],
            ),
            (
                _("Outgoing mail"),
                ["smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password"],
            ),
            (
                _("Automatic acknowledgement"),
                [
                    "auto_ack_enabled",
                    "auto_ack_subject_zh",
                    "auto_ack_body_zh",
                    "auto_ack_subject_en",
                    "auto_ack_body_en",
                ],
            ),
        ]
        return [(str(title), [self[name] for name in names]) for title, names in sections]

    def to_input(self) -> MailboxInput:
        data = self.cleaned_data
        return MailboxInput(
            name=data["name"],
            address=data["address"],
            display_name=data["display_name"],
            department_id=data["department"],
            brand_id=data["brand"],
            is_active=data["is_active"],
            protocol=data["protocol"],
            host=data["host"],
            port=data["port"],
            security=data["security"],
            username=data["username"],
            password=data["password"] or None,
            folder=data["folder"] or "INBOX",
            poll_interval=data["poll_interval"],
            after_import=data["after_import"],
            move_to_folder=data["move_to_folder"],
            smtp_host=data["smtp_host"],
            smtp_port=data["smtp_port"],
            smtp_security=data["smtp_security"],
            smtp_username=data["smtp_username"],
            smtp_password=data["smtp_password"] or None,
            reopen_within_days=data["reopen_within_days"],
            auto_ack_enabled=data["auto_ack_enabled"],
            auto_ack_subject_zh=data["auto_ack_subject_zh"],
            auto_ack_body_zh=data["auto_ack_body_zh"],
            auto_ack_subject_en=data["auto_ack_subject_en"],
            auto_ack_body_en=data["auto_ack_body_en"],
        )


def mailbox_initial(mailbox: Mailbox) -> dict[str, Any]:
    """The form's starting values for an existing mailbox — never its passwords."""
    names = [name for name in MailboxForm.base_fields if name not in ("password", "smtp_password")]
    initial = {name: getattr(mailbox, name) for name in names if name not in ("department", "brand")}
    initial.update(department=mailbox.department_id, brand=mailbox.brand_id or "")
    return initial
