"""Administrator-defined fields on tickets, contacts and accounts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.core.i18n import BilingualNameMixin


class CustomField(BilingualNameMixin):
    """The definition of one custom field; values live in the ``custom_fields`` JSON of each record.

    A field limited to some departments applies only to tickets of those departments; with no
    department it applies everywhere.

    The values of a pick list or multi-select are its ``options`` (``PicklistOption``); ``choices`` is
    the list of values not retired, in order, kept in step by the services for readers that only need
    the names.
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
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
        help_text=_("A pick list whose value decides which values this pick list offers."),
    )

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["module", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="customfields_unique_key")]


class PicklistOption(models.Model):
    """One value of a pick list or multi-select field, with its colour and where it is offered.

    ``value`` is what records store and never changes; ``label`` (Chinese) and ``label_en`` are what people
    read. An option limited to departments is offered only on tickets of those departments (seed 003: the
    books department's sub-categories differ from electronics'); with none it is offered everywhere. On a
    dependent field (``CustomField.parent``) an option with ``parent_values`` is offered only while the
    parent field holds one of them. A retired option is no longer offered, but records keep it and still
    show it with its label and colour, so history is never lost.
    """

    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(_("value"), max_length=100)
    label = models.CharField(_("label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100, blank=True)
    colour = models.CharField(_("colour"), max_length=7, blank=True)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="picklist_options")
    parent_values = models.JSONField(_("parent values"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("pick-list value")
        verbose_name_plural = _("pick-list values")
        ordering = ["field", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["field", "value"], name="customfields_unique_option_value")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        language = get_language() or ""
        if language.startswith("en") and self.label_en:
            return self.label_en
        return self.label or self.value


class Layout(models.Model):
    """How one module's records are laid out for one department (or for every department without its own):
    which fields appear, in which sections and order, which are mandatory when creating and when closing,
    and layout rules ("show field B and make it mandatory when A = x").

    ``sections`` and ``rules`` are JSON in the shape ``kefu.customfields.layouts`` reads and the services
    check (every field named must exist in the module); the services of each module (tickets, contacts,
    accounts, custom-module records) enforce the mandatory fields.
    """

    # "ticket", "contact", "account", or "module:<key>" for a custom module (the names
    # ``kefu.customfields.layouts`` registers); records without a department use only the default layout.
    module = models.CharField(_("module"), max_length=64)
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="layouts"
    )
    sections = models.JSONField(_("sections"), default=list, blank=True)
    rules = models.JSONField(_("layout rules"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("layout")
        verbose_name_plural = _("layouts")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "department"], name="customfields_layout_per_department"
            ),
            models.UniqueConstraint(
                fields=["module"],
                condition=models.Q(department__isnull=True),
                name="customfields_one_default_layout",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} · {self.department_id or '*'}"
