"""Administrator-defined fields on tickets, contacts and accounts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin


class CustomField(BilingualNameMixin):
    """The definition of one custom field; values live in the ``custom_fields`` JSON of each record.

    A field limited to some departments applies only to tickets of those departments; with no
    department it applies everywhere.
    """

    class Module(models.TextChoices):
        TICKET = "ticket", _("Ticket")
        CONTACT = "contact", _("Contact")
        ACCOUNT = "account", _("Account")

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        DECIMAL = "decimal", _("Decimal")
        DATE = "date", _("Date")
        DATETIME = "datetime", _("Date and time")
        PICKLIST = "picklist", _("Pick list")
        MULTI_SELECT = "multi_select", _("Multi-select")
        CHECKBOX = "checkbox", _("Checkbox")
        EMAIL = "email", _("Email")
        URL = "url", _("URL")
        PHONE = "phone", _("Phone")

    module = models.CharField(_("module"), max_length=16, choices=Module.choices)
    key = models.SlugField(_("key"), max_length=64)
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="custom_fields")
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["module", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="customfields_unique_key")]
